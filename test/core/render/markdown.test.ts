import { describe, expect, it } from 'vitest';
import { ELLIPSIS, renderWithin, truncateText } from '../../../src/core/render/fit.js';
import { isDeceptiveLink } from '../../../src/core/render/links.js';
import { escapeMarkdown, lightMarkdown, markdownToPlain, tokenizeMarkdown } from '../../../src/core/render/markdown.js';

describe('light markdown', () => {
  it('round-trips escaped text exactly', () => {
    const nasty = 'a*b_c ~~d~~ `e` [f](https://g.example) <@1> #h \\ |i|';
    expect(markdownToPlain(escapeMarkdown(nasty))).toBe(nasty);
  });
  it('round-trips URLs followed by markup characters or backslashes', () => {
    for (const text of ['https://x.example/a_', 'https://x.example/a\\b_c', '(https://x.example/a_(b)) *', 'https://x.example/a**b**']) {
      expect(markdownToPlain(escapeMarkdown(text))).toBe(text);
    }
  });
  it('leaves bare URLs unescaped so they keep linking', () => {
    expect(escapeMarkdown('see https://x.example/a_b_c.')).toBe('see https://x.example/a_b_c.');
    expect(tokenizeMarkdown('see https://x.example/a_b_c.')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'url', url: 'https://x.example/a_b_c' },
      { type: 'text', text: '.' },
    ]);
  });
  it('reads formatting, links and code', () => {
    expect(tokenizeMarkdown('**b** _e_ ~~s~~ `c` [t](https://u.example/)')).toEqual([
      { type: 'strong' }, { type: 'text', text: 'b' }, { type: 'strong' }, { type: 'text', text: ' ' },
      { type: 'em' }, { type: 'text', text: 'e' }, { type: 'em' }, { type: 'text', text: ' ' },
      { type: 'strike' }, { type: 'text', text: 's' }, { type: 'strike' }, { type: 'text', text: ' ' },
      { type: 'code', text: 'c' }, { type: 'text', text: ' ' },
      { type: 'link', text: 't', url: 'https://u.example/' },
    ]);
  });
  it('treats unpaired markers, non-http links and snake_case as text', () => {
    expect(markdownToPlain('5 ** 3')).toBe('5 ** 3');
    expect(tokenizeMarkdown('[x](javascript:alert(1))').every((t) => t.type === 'text')).toBe(true);
    expect(tokenizeMarkdown('snake_case_name')).toEqual([{ type: 'text', text: 'snake_case_name' }]);
  });
});

describe('deceptive links', () => {
  it('flags text that names another host', () => {
    expect(isDeceptiveLink('https://paypal.com', 'https://evil.example/')).toBe(true);
    expect(isDeceptiveLink('Log in at www.bank.com now', 'https://evil.example/')).toBe(true);
    expect(isDeceptiveLink('paypal.com', 'https://evil.example/')).toBe(true);
  });
  it('accepts ordinary text, the same host and parent domains', () => {
    expect(isDeceptiveLink('read more', 'https://evil.example/')).toBe(false);
    expect(isDeceptiveLink('example.com', 'https://blog.example.com/x')).toBe(false);
    expect(isDeceptiveLink('https://www.example.com/a', 'https://example.com/b')).toBe(false);
    expect(isDeceptiveLink('Node.js', 'https://nodejs.org/')).toBe(false);
  });
});

describe('fitting text', () => {
  it('keeps text that fits, cuts one over on a word boundary with an ellipsis', () => {
    const exact = `${'word '.repeat(51)}w`; // 256
    expect(exact).toHaveLength(256);
    expect(truncateText(exact, 256)).toBe(exact);
    const over = `${exact}x`;
    const cut = truncateText(over, 256);
    expect(cut.length).toBeLessThanOrEqual(256);
    expect(cut).toBe(`${'word '.repeat(51).trimEnd()}${ELLIPSIS}`);
  });
  it('hard-cuts a single huge word without splitting a surrogate pair', () => {
    const cut = truncateText('😀'.repeat(10), 6);
    expect(cut).toBe(`😀😀${ELLIPSIS}`);
  });
  it('never cuts inside an escape, and closes formatting it cut through', () => {
    const md = `**${'a\\* '.repeat(20)}** tail`;
    const out = renderWithin(tokenizeMarkdown(md), 30, lightMarkdown);
    expect(out.length).toBeLessThanOrEqual(30);
    expect(out).toMatch(/^\*\*(a\\\* )*a\\\*\*\*…$/);
  });
  it('drops a link that does not fit instead of breaking it', () => {
    const out = renderWithin(tokenizeMarkdown(`intro [a long link text](https://x.example/${'p'.repeat(50)})`), 40, lightMarkdown);
    expect(out).toBe(`intro${ELLIPSIS}`);
  });
});
