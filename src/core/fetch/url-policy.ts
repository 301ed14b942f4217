// URL-level refusals that need no DNS: wrong scheme, credentials, literal private IPs.
// The connector checks again on the address actually dialed; this catches the obvious
// cases early so /subscribe can refuse without opening any connection.
import { isIP } from 'node:net';
import { checkAddress, type Verdict } from './address-policy.js';
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
  // WHATWG URL parsing already turns 2130706433, 0x7f.1 or 127.1 into 127.0.0.1 for http(s),
  // so a plain isIP() finds every literal; names are checked at connect time.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host)) {
    const verdict = cachedVerdict(host, allowed);
    if (!verdict.allowed) throw new FetchError('blocked-address', verdict.reason);
  }
  return url;
}

// Verdicts per allowlist: ipaddr.js parsing costs microseconds, and a poll cycle asks the
// same few literal hosts thousands of times.
const verdicts = new WeakMap<Cidr[], Map<string, Verdict>>();

function cachedVerdict(host: string, allowed: Cidr[]): Verdict {
  let cache = verdicts.get(allowed);
  if (!cache) verdicts.set(allowed, (cache = new Map()));
  let v = cache.get(host);
  if (!v) {
    v = checkAddress(host, allowed);
    if (cache.size >= 1000) cache.clear();
    cache.set(host, v);
  }
  return v;
}
