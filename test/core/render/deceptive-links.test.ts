// Link text that hides its target behind invisible characters, fullwidth forms or letters
// from another script must count as deceptive, like plain "paypal.com" → evil.example does.
import { describe, expect, it } from 'vitest';
import { isDeceptiveLink, visibleText } from '../../../src/core/render/links.js';

const EVIL = 'https://evil.example/login';

describe('deceptive links, as a reader sees the text', () => {
  it('sees through zero-width characters and soft hyphens', () => {
    expect(visibleText('pay\u200bpal\u00ad.com')).toBe('paypal.com');
    expect(isDeceptiveLink('pay\u200bpal.com', EVIL)).toBe(true);
    expect(isDeceptiveLink('\u2060paypal\u200d.com', EVIL)).toBe(true);
    expect(isDeceptiveLink('https://pay\ufeffpal.com/login', EVIL)).toBe(true);
    expect(isDeceptiveLink('Log in at www.\u200cbank.com', EVIL)).toBe(true);
  });

  it('reads fullwidth letters and dots after NFKC', () => {
    expect(isDeceptiveLink('ｐａｙｐａｌ．ｃｏｍ', EVIL)).toBe(true);
    expect(isDeceptiveLink('paypal。com', EVIL)).toBe(true);
  });

  it('treats Cyrillic and Greek look-alikes as deceptive, even when they point at that very (punycode) host', () => {
    const mixed = 'p\u0430ypal.com'; // Cyrillic а
    expect(isDeceptiveLink(mixed, EVIL)).toBe(true);
    expect(isDeceptiveLink(mixed, 'https://xn--pypal-4ve.com/')).toBe(true);
    expect(isDeceptiveLink('https://p\u0430ypal.com', 'https://paypal.com/')).toBe(true);
    expect(isDeceptiveLink('\u0430\u0440\u0440\u04cf\u0435.com', 'https://xn--80ak6aa92e.com/')).toBe(true); // all-Cyrillic "apple"
    expect(isDeceptiveLink('g\u03bfogle.com', EVIL)).toBe(true); // Greek ο
  });

  it('leaves honest text alone, including real non-Latin domains and words', () => {
    expect(isDeceptiveLink('пример.рф', 'https://xn--e1afmkfd.xn--p1ai/')).toBe(false);
    expect(isDeceptiveLink('Читать далее', EVIL)).toBe(false);
    expect(isDeceptiveLink('read\u200b more', EVIL)).toBe(false);
    expect(isDeceptiveLink('example.com', 'https://blog.example.com/x')).toBe(false);
    expect(isDeceptiveLink('ｅｘａｍｐｌｅ.com', 'https://example.com/')).toBe(false);
    expect(isDeceptiveLink('Node.js', 'https://nodejs.org/')).toBe(false);
    expect(isDeceptiveLink('café.fr', 'https://xn--caf-dma.fr/')).toBe(false);
  });
});
