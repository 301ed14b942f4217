import { describe, expect, it } from 'vitest';
import { decodeEntities } from '../../../src/core/render/html/entities.js';
import { tokenizeHtml } from '../../../src/core/render/html/tokenizer.js';
import { htmlToMarkdown, htmlToText, inlineText } from '../../../src/core/render/index.js';
import { cpuTimed } from '../../support/cpu-time.js';

describe('entities', () => {
  it('decodes named, decimal and hex references once', () => {
    expect(decodeEntities('AT&amp;T &lt;b&gt; &eacute;t&eacute; &#8217; &#x1F600; &amp;amp;')).toBe('AT&T <b> été ’ 😀 &amp;');
  });
  it('leaves unknown names and broken numbers safe', () => {
    expect(decodeEntities('&bogus; &#0; &#xD800; & alone')).toBe('&bogus; \ufffd \ufffd & alone');
  });
});

describe('tokenizer', () => {
  it('reads tags, quoted and bare attributes, and skips comments', () => {
    const t = tokenizeHtml('<A HREF="x>y" data-x=1 checked>hi</a><!-- <b> -->!');
    expect(t).toEqual([
      { type: 'open', name: 'a', attrs: { href: 'x>y', 'data-x': '1', checked: '' }, selfClosing: false, raw: '<A HREF="x>y" data-x=1 checked>' },
      { type: 'text', text: 'hi' },
      { type: 'close', name: 'a', raw: '</a>' },
      { type: 'text', text: '!' },
    ]);
  });
  // htmlparser2 hands back "1 < 2 " as one text token (the old tokenizer split it in three).
  it('treats a lone < as text and stops at an unterminated tag', () => {
    expect(tokenizeHtml('1 < 2 <b')).toEqual([{ type: 'text', text: '1 < 2 ' }]);
  });
  it('stays fast on pathological input', () => {
    const nasty = ['<a '.repeat(20_000), '<!--'.repeat(20_000), '<script>'.repeat(20_000), '<b x="'.repeat(20_000), '&#'.repeat(50_000), '<li>a'.repeat(30_000), '<b>a</b> '.repeat(20_000), `https://x.example/${'_'.repeat(100_000)}`];
    for (const html of nasty) {
      // CPU time (see cpu-time.ts), generous for a cold JIT; quadratic behaviour would take minutes.
      const { value, ms } = cpuTimed(() => htmlToMarkdown(html));
      expect(value.length).toBeLessThanOrEqual(6000);
      expect(ms).toBeLessThan(1500);
    }
  });
});

describe('htmlToMarkdown', () => {
  const base = 'https://blog.example.com/2024/post';
  it('keeps formatting and links, resolving relative hrefs against the item link', () => {
    const md = htmlToMarkdown('<p>Hello <b>world</b> and <em>you</em>, read <a href="/more">the rest</a>.</p>', base);
    expect(md).toBe('Hello **world** and _you_, read [the rest](https://blog.example.com/more).');
  });
  it('drops scripts, styles, iframes, svg, forms and images', () => {
    const md = htmlToMarkdown('<p>a</p><script>alert(1)</script><style>p{}</style><iframe src="https://x.example/">x</iframe><svg><text>s</text></svg><form><input></form><img src="https://i.example/a.png" alt="alt"><p>b</p>');
    expect(md).toBe('a\n\nb');
  });
  it('turns headings into bold lines and list items into bullets', () => {
    expect(htmlToMarkdown('<h2>Title</h2><ul><li>one</li><li>two</li></ul><ol><li>x</li><li>y</li></ol>')).toBe('**Title**\n\n• one\n• two\n\n1. x\n2. y');
  });
  it('escapes markdown that comes from feed text', () => {
    expect(htmlToMarkdown('<p>[click](https://evil.example) *not bold* snake_case #tag</p>')).toBe('\\[click\\](https://evil.example) \\*not bold\\* snake\\_case \\#tag');
  });
  it('shows the real target of links whose text names another site', () => {
    expect(htmlToMarkdown('<a href="https://evil.example/x">https://paypal.com/login</a>')).toBe('https://paypal.com/login (https://evil.example/x)');
    expect(htmlToMarkdown('<a href="https://evil.example/x">paypal.com</a>')).toBe('paypal.com (https://evil.example/x)');
    expect(htmlToMarkdown('<a href="https://docs.example.com/a">example.com</a>')).toBe('[example.com](https://docs.example.com/a)');
    expect(htmlToMarkdown('<a href="https://example.com/a">https://example.com/a</a>')).toBe('https://example.com/a');
  });
  it('drops links that are not http(s) and encodes characters that would end markup', () => {
    expect(htmlToMarkdown('<a href="javascript:alert(1)">x</a> <a href="https://w.example/Foo_(bar)">w</a>')).toBe('x [w](https://w.example/Foo_%28bar%29)');
  });
  it('folds whitespace but keeps <pre> line breaks', () => {
    expect(htmlToMarkdown('<p>  a \n\n b  </p><pre>x\n  y</pre>')).toBe('a b\n\nx\n  y');
  });
  it('does not emit emphasis inside a word', () => {
    expect(htmlToMarkdown('in<em>side</em>word and <i>alone</i>')).toBe('insideword and _alone_');
  });
  it('caps very long content', () => {
    const md = htmlToMarkdown(`<p>${'word '.repeat(5000)}</p>`);
    expect(md.length).toBeLessThanOrEqual(6000);
    expect(md.endsWith('word…')).toBe(true);
  });
});

describe('htmlToText and inlineText', () => {
  it('htmlToText keeps link text only', () => {
    expect(htmlToText('<p>A <a href="https://x.example">link</a></p><p>B &amp; C</p>')).toBe('A link\n\nB & C');
  });
  it('inlineText removes inline tags but keeps other angle-bracket text literally', () => {
    expect(inlineText('Why <div> soup &amp; <b>bold</b> &lt;hurts&gt;')).toBe('Why <div> soup & bold <hurts>');
    expect(inlineText('  multi\n line\u0007  ')).toBe('multi line');
  });
});
