import { describe, expect, it } from 'vitest';
import { tokenizeMarkdown } from '../../../src/core/render/markdown.js';
import { httpUrl, toRfc3986 } from '../../../src/core/render/url.js';

// RFC 3986 URI-reference characters: unreserved, reserved and percent escapes, nothing else.
const RFC3986 = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

describe('URLs leave Herald as RFC 3986 URIs', () => {
  it('encodes { } | ^ ` in the query, which WHATWG serialisation leaves raw', () => {
    const url = httpUrl('https://example.com/search?q={"a":1}&x=a|b^c`d')!;
    expect(url).toBe('https://example.com/search?q=%7B%22a%22:1%7D&x=a%7Cb%5Ec%60d');
    expect(url).toMatch(RFC3986);
  });

  it('encodes a second # and stray % signs, keeps valid escapes and IPv6 brackets', () => {
    expect(toRfc3986('https://x.org/100%/ok%20#a#b')).toBe('https://x.org/100%25/ok%20#a%23b');
    expect(toRfc3986('https://[::1]:8080/a')).toBe('https://[::1]:8080/a');
  });

  it('encodes non-ASCII as UTF-8 and markup characters, even in the fragment', () => {
    expect(httpUrl('https://x.org/café#ö{}')).toBe('https://x.org/caf%C3%A9#%C3%B6%7B%7D');
    expect(httpUrl('https://x.org/a_(b)[c]')).toBe('https://x.org/a_%28b%29%5Bc%5D');
  });

  it('a bare URL in text with braces goes out encoded; a clean one stays as written', () => {
    expect(tokenizeMarkdown('see https://x.org/?q={a} now')).toContainEqual({ type: 'url', url: 'https://x.org/?q=%7Ba%7D' });
    expect(tokenizeMarkdown('see https://x.org/a_(b) now')).toContainEqual({ type: 'url', url: 'https://x.org/a_(b)' });
  });
});
