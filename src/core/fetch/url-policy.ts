// URL-level refusals that need no DNS: wrong scheme, credentials, literal private IPs.
// The connector checks again on the address actually dialed; this catches the obvious
// cases early so /subscribe can refuse without opening any connection.
import { checkAddress, parseIpLiteral } from './address-policy.js';
import { FetchError } from './errors.js';
import type { Cidr } from './networks.js';

/** Parses and vets one URL (the first request or a redirect hop); throws a FetchError. */
export function vetUrl(input: string | URL, allowed: Cidr[], base?: string): URL {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input, base) : input;
  } catch {
    throw new FetchError('bad-url', `"${String(input)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('bad-url', `only http and https URLs are fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new FetchError('bad-url', 'URLs with a user name or password are not fetched');
  // WHATWG URL parsing already turns 2130706433, 0x7f.1 or 127.1 into 127.0.0.1 for http(s).
  const literal = parseIpLiteral(url.hostname);
  if (literal) {
    const verdict = checkAddress(literal, allowed);
    if (!verdict.allowed) throw new FetchError('blocked-address', verdict.reason);
  }
  return url;
}
