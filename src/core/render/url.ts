// URL hygiene shared by render and the platform layers: every URL that reaches a
// message is absolute http(s), bounded, and free of characters that end markup.

/** Longest URL we place in a message; Discord rejects longer embed URLs. */
export const MAX_URL_LENGTH = 2048;

/**
 * Absolute http(s) URL, resolved against `base` when relative, or undefined.
 * Never throws: feed URLs are often malformed.
 */
export function httpUrl(raw: string | undefined, base?: string): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = base ? new URL(text, base) : new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined; // user@host URLs are a classic phishing disguise
  const href = markupSafeUrl(url.href);
  return href.length <= MAX_URL_LENGTH ? href : undefined;
}

/** Like httpUrl, but only https (what the platforms fetch images from). */
export function httpsUrl(raw: string | undefined, base?: string): string | undefined {
  const url = httpUrl(raw, base);
  return url?.startsWith('https://') ? url : undefined;
}

/**
 * Percent-encodes the characters that would end a markdown link, a Slack <url|text>
 * or an angle-bracket autolink, then everything else RFC 3986 does not allow
 * (WHATWG URL serialisation leaves `{ } | ^` and a stray `%` raw). Linear scan.
 */
export function markupSafeUrl(href: string): string {
  return toRfc3986(href);
}

const HEX = '0123456789ABCDEFabcdef';
const pct = (c: string) => {
  const bytes = new TextEncoder().encode(c);
  let out = '';
  for (const b of bytes) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
};
/** RFC 3986 unreserved + sub-delims + the gen-delims that may appear after the authority, minus the markup-breaking ones. */
const isAllowed = (c: string) => /^[A-Za-z0-9\-._~!$&*+,;=:@/?]$/.test(c);

/**
 * An absolute URL rewritten so that it is an RFC 3986 URI and safe inside markup: the
 * authority is kept (an IPv6 literal keeps its brackets), path, query and fragment get
 * every other character percent-encoded, a `%` not starting an escape becomes `%25`, and a
 * second `#` becomes `%23`. Characters that would end markup (`( ) [ ] < > | \ ' " \``)
 * are encoded too; a URL means the same with or without that.
 */
export function toRfc3986(href: string): string {
  const schemeEnd = href.indexOf('://');
  let start = 0;
  if (schemeEnd > 0) {
    start = schemeEnd + 3;
    while (start < href.length && !'/?#'.includes(href[start] ?? '')) start++;
  }
  let out = href.slice(0, start);
  let inFragment = false;
  // for..of walks code points, so a surrogate pair is encoded as one character.
  for (const c of href.slice(start)) {
    if (c === '%') {
      out += '%'; // checked below, once the whole string is known
      continue;
    }
    if (c === '#') {
      out += inFragment ? '%23' : '#';
      inFragment = true;
      continue;
    }
    out += isAllowed(c) ? c : pct(c);
  }
  return fixStrayPercents(out);
}

/** `%` followed by two hex digits is an escape; any other `%` is a literal one. */
function fixStrayPercents(s: string): string {
  if (!s.includes('%')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%' && !(HEX.includes(s[i + 1] ?? 'x') && HEX.includes(s[i + 2] ?? 'x'))) out += '%25';
    else out += c;
  }
  return out;
}

/** Host without a leading "www.", lower-case; undefined when not a URL. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
}
