import { describe, expect, it } from 'vitest';
import { stripBoilerplate } from '../../../src/core/render/boilerplate.js';
import { cutExcerpt, EXCERPT_MAX, excerptOf } from '../../../src/core/render/excerpt.js';
import { stripBoilerplateMarkdown } from '../../../src/core/render/full-text.js';
import { renderItem } from '../../../src/core/render/index.js';
import type { FeedItem } from '../../../src/domain/types.js';
import { cpuTimed } from '../../support/cpu-time.js';

const feed = { title: 'Example', url: 'https://example.com/feed.xml' };
const item = (over: Partial<FeedItem> = {}): FeedItem => ({ id: 'i1', title: 'Hello', categories: [], images: [], index: 0, ...over });
const words = (n: number, w = 'word') => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');

describe('excerpt', () => {
  it('takes the first paragraph, skipping headings, lists, tables, captions and code', () => {
    const html = '<h2>Heading</h2><ul><li><a href="/a">A</a></li></ul><table><tr><td>cell</td></tr></table>' +
      '<figure><img src="x.jpg"><figcaption>Caption</figcaption></figure><pre>code()</pre>' +
      `<p>First paragraph with enough words to stand alone. ${words(40)}</p><p>Second.</p>`;
    const x = excerptOf({ contentHtml: html });
    expect(x).toMatch(/^First paragraph/);
    for (const bad of ['Heading', 'cell', 'Caption', 'code()', 'Second']) expect(x).not.toContain(bad);
  });

  it('adds the second paragraph when the first is short', () => {
    expect(excerptOf({ contentHtml: '<p>Short one.</p><p>Then more.</p><p>Not this.</p>' })).toBe('Short one.\n\nThen more.');
  });

  it('reads headings and lists when there is no paragraph at all', () => {
    expect(excerptOf({ contentHtml: '<h3>Only a heading</h3><ul><li>one</li></ul>' })).toBe('Only a heading\n\none');
  });

  it('treats a paragraph of several links as a list of links, and <br><br> as a paragraph break', () => {
    const html = '<p><a href="/1">Episode one</a> <a href="/2">Episode two</a></p>Loose prose here.<br><br>Next part.';
    expect(excerptOf({ contentHtml: html })).toBe('Loose prose here.\n\nNext part.');
  });

  it('never shows script or style content, decodes entities once', () => {
    expect(excerptOf({ contentHtml: '<p>a &amp;lt;b&amp;gt; &lt;i&gt;<script>alert(1)</script><style>p{}</style></p>' })).toBe('a &lt;b&gt; <i>');
  });

  it('falls back to the plain summary', () => {
    expect(excerptOf({ summaryText: 'Plain *text*\n\nsecond' })).toBe('Plain *text*\n\nsecond');
  });

  it(`cuts at ${EXCERPT_MAX} characters at a sentence end in the second half, else a word, with …`, () => {
    const sentences = `${words(60)}. ${words(40, 'more')}`;
    const s = cutExcerpt(sentences);
    expect(s.length).toBeLessThanOrEqual(EXCERPT_MAX);
    expect(s).toMatch(/word59\. …$/);
    const w = cutExcerpt(words(200));
    expect(w.length).toBeLessThanOrEqual(EXCERPT_MAX);
    expect(w).toMatch(/word\d+…$/);
    expect(words(200).startsWith(w.slice(0, -1) + ' ')).toBe(true);
    // No space anywhere (CJK): between characters, never splitting a surrogate pair.
    const cjk = cutExcerpt('汉'.repeat(300) + '😀'.repeat(300));
    expect(cjk.length).toBeLessThanOrEqual(EXCERPT_MAX);
    expect(cjk.endsWith('…')).toBe(true);
    expect(cjk.at(-2)).not.toMatch(/[\ud800-\udbff]/);
  });

  it('is linear on huge input', () => {
    // CPU time, not wall-clock (see cpu-time.ts); quadratic work here would take minutes.
    const { ms } = cpuTimed(() => {
      excerptOf({ contentHtml: '<p>' + 'a '.repeat(500_000) + '<b>'.repeat(50_000) });
      cutExcerpt('x'.repeat(1_000_000));
    });
    expect(ms).toBeLessThan(3000);
  });
});

describe('boilerplate', () => {
  it.each([
    ['The post <a href="/p">Hello world</a> appeared first on <a href="/">RSS.com</a>.', 'WordPress'],
    ['<a href="/p">Hello</a> first appeared on <a href="/">Site</a>.', 'a variant without "The post"'],
    ['<a href="/p">Title</a> originally appeared on <a href="/">Engadget</a> on Tue, 01 Mar 2011 17:30:00 EDT. Please see our <a href="/t">terms for use of feeds</a>.', 'Engadget'],
    ['<a href="/p">Permalink</a>&nbsp;|&nbsp;<img alt="source"><a href="/s">Laptop</a> | <a href="/e">Email this</a>&nbsp;|&nbsp;<a href="/c">Comments</a>', 'Blogsmith action row'],
    ['submitted by <a href="/u">/u/someone</a> <br/> <span><a href="/l">[link]</a></span> &#32; <span><a href="/c">[comments]</a></span>', 'Reddit'],
  ])('drops %s (%s) and keeps the content', (tail) => {
    const x = excerptOf({ contentHtml: `<p>Real content here.</p>${tail}` });
    expect(x).toBe('Real content here.');
  });

  it('removes a tail inside the last paragraph, not the sentence before it', () => {
    expect(stripBoilerplate('Good text. The post X appeared first on Y.')).toBe('Good text.');
    expect(stripBoilerplate('Great stuff. Title originally appeared on Engadget on Tue. Please see our terms for use of feeds.')).toBe('Great stuff.');
  });

  it('full text keeps links and drops the boilerplate paragraph', () => {
    const md = 'Body with [a link](https://example.com/a).\n\nThe post [X](https://example.com/x) appeared first on [Site](https://example.com/).';
    expect(stripBoilerplateMarkdown(md)).toBe('Body with [a link](https://example.com/a).');
  });
});

describe('renderItem styles', () => {
  const long = item({
    link: 'https://example.com/p',
    contentHtml: `<p>${words(150)}</p><p>The post <a href="/p">P</a> appeared first on <a href="/">Site</a>.</p>`,
    categories: ['a', 'b', 'c', 'd', 'e'],
  });
  it('compact (default): escaped excerpt, at most 3 categories', () => {
    const m = renderItem(item({ contentHtml: '<p>a *b* [c](https://evil.example)</p>', categories: ['a', 'b', 'c', 'd'] }), feed);
    expect(m.summary).toBe('a \\*b\\* \\[c\\](https://evil.example)');
    expect(m.categories).toEqual(['a', 'b', 'c']);
    expect(m.style).toBeUndefined();
    expect(renderItem(long, feed).summary.length).toBeLessThanOrEqual(EXCERPT_MAX);
  });
  it('full: whole text without boilerplate, up to 20 categories; link: no text', () => {
    const full = renderItem(long, feed, 'full');
    expect(full.summary.length).toBeGreaterThan(1000);
    expect(full.summary).not.toContain('appeared first');
    expect(full.categories).toHaveLength(5);
    const link = renderItem(long, feed, 'link');
    expect(link.summary).toBe('');
    expect(link.style).toBe('link');
  });
});
