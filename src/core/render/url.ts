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
 * or an angle-bracket autolink. They are equivalent to their encoded form in a URL.
 */
export function markupSafeUrl(href: string): string {
  return href.replace(/[()[\]<>|\\\s"'`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Host without a leading "www.", lower-case; undefined when not a URL. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
}
