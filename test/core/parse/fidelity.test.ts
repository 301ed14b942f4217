// Part 9 fidelity: each field decoded exactly once, by its declared type, from parse to post.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/core/parse/index.js';
import { renderItem } from '../../../src/core/render/index.js';
import { toDiscordMessage } from '../../../src/platforms/discord/render.js';
import { toSlackMessage } from '../../../src/platforms/slack/render.js';
import { cpuTimedAsync } from '../../support/cpu-time.js';

const url = 'https://example.com/feed';
const parse = (doc: string) => parseFeed({ body: Buffer.from(doc), url, contentType: 'application/xml' });
const rss = (items: string, ns = '') => `<?xml version="1.0"?><rss version="2.0"${ns}><channel><title>T</title><link>https://example.com/</link>${items}</channel></rss>`;
const atom = (entries: string) => `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><link href="https://example.com/"/>${entries}</feed>`;

describe('text titles keep literal markup', () => {
  it('RSS: escaped markup that a reader would not render stays as characters, through render and both platforms', async () => {
    const f = await parse(rss(`<item><title>@everyone &lt;!channel&gt; &lt;script&gt;x&lt;/script&gt;</title><link>https://example.com/1</link></item>
      <item><title>History of the &lt;blink&gt; tag</title></item>
      <item><title>Fish &amp; chips &lt; 5 &amp;amp; more</title></item>`));
    // The third is double-escaped ("&amp;amp;"): a reference left after XML decoding makes it HTML, as in feedparser.
    expect(f.items.map((i) => i.title)).toEqual(['@everyone <!channel> <script>x</script>', 'History of the <blink> tag', 'Fish & chips < 5 & more']);
    const model = renderItem(f.items[0]!, { title: f.title, url });
    expect(model.title).toBe('@everyone <!channel> <script>x</script>');
    expect(renderItem(f.items[1]!, { title: f.title, url }).title).toBe('History of the <blink> tag');
    // Discord: no pings (allowed_mentions and a zero-width space), the characters shown as written.
    const d = toDiscordMessage({ kind: 'item', ...model });
    expect(d.allowed_mentions).toEqual({ parse: [] });
    const shown = d.embeds![0]!.title!.replace(/\\(.)/g, '$1').replace(/\u200b/g, '');
    expect(shown).toBe('@everyone <!channel> <script>x</script>');
    expect(d.embeds![0]!.title).not.toContain('@everyone');
    // Slack: mrkdwn-escaped, so <!channel> is inert text, not a channel ping.
    const s = JSON.stringify(toSlackMessage({ kind: 'item', ...model }));
    expect(s).toContain('&lt;!channel&gt; &lt;script&gt;x&lt;/script&gt;');
    expect(s).not.toContain('<!channel>');
  });

  it('Atom type="text" is literal; type="html" is HTML; CDATA in RSS is decoded once', async () => {
    const f = await parse(atom(`<entry><title type="text">a &lt;b&gt; &amp;amp; c</title></entry><entry><title type="html">&lt;i&gt;x&lt;/i&gt; &amp;lt;tag&amp;gt;</title></entry>`));
    expect(f.items.map((i) => i.title)).toEqual(['a <b> &amp; c', 'x <tag>']);
    const g = await parse(rss('<item><title><![CDATA[Tom &amp; Jerry <b>now</b>]]></title></item><item><title><![CDATA[a < b && c]]></title></item>'));
    expect(g.items.map((i) => i.title)).toEqual(['Tom & Jerry now', 'a < b && c']);
  });
});

describe('script and style never reach a post', () => {
  it('HTML titles drop script and style with their content', async () => {
    const f = await parse(atom(`<entry><title type="html">safe&lt;script&gt;location.href='http:/'+'/example.com/';&lt;/script&gt; description&lt;style&gt;p{}&lt;/style&gt;</title></entry>`));
    expect(f.items[0]!.title).toBe('safe description');
    const g = await parse(rss('<item><title><b>Hi</b><script>alert(1)</script> there</title></item>'));
    expect(g.items[0]!.title).toBe('Hi there');
  });
  it('bodies drop them too', async () => {
    const f = await parse(rss('<item><title>x</title><description><![CDATA[<p>ok</p><script>var a = "<p>no</p>";</script><style>.x{}</style><p>fine</p>]]></description></item>'));
    const m = renderItem(f.items[0]!, { title: f.title, url });
    expect(m.summary).toBe('ok\n\nfine');
  });
});

describe('title fallbacks', () => {
  it('dc:title, then media:title (also inside media:group), when <title> is missing', async () => {
    const f = await parse(
      rss(
        `<item><dc:title>From DC &amp; co</dc:title></item><item><media:title>From media</media:title></item><item><media:group><media:title type="html">&lt;b&gt;Grouped&lt;/b&gt;</media:title></media:group></item><item><title></title><dc:title>Blank title, DC wins</dc:title></item>`,
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"',
      ),
    );
    expect(f.items.map((i) => i.title)).toEqual(['From DC & co', 'From media', 'Grouped', 'Blank title, DC wins']);
    expect(renderItem(f.items[0]!, { title: f.title, url }).title).toBe('From DC & co');
  });
});

describe('namespace prefixes instead of a default namespace', () => {
  it('RSS 1.0 with every element prefixed', async () => {
    const f = await parse(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/" xmlns:dcx="http://purl.org/dc/elements/1.1/">
      <rss:channel rdf:about="https://r.example/"><rss:title>Prefixed</rss:title><rss:link>https://r.example/</rss:link></rss:channel>
      <rss:item rdf:about="https://r.example/1"><rss:title>One</rss:title><rss:link>https://r.example/1</rss:link><dcx:date>2019-08-24</dcx:date><dcx:creator>Ann</dcx:creator></rss:item>
      </rdf:RDF>`);
    expect(f.title).toBe('Prefixed');
    expect(f.link).toBe('https://r.example/');
    expect(f.items).toHaveLength(1);
    expect(f.items[0]).toMatchObject({ title: 'One', link: 'https://r.example/1', date: '2019-08-24T00:00:00.000Z', author: 'Ann' });
  });
  it('RSS 2.0 whose elements carry a prefix bound to its own namespace', async () => {
    const f = await parse(`<r:rss xmlns:r="http://backend.userland.com/rss2" version="2.0"><r:channel><r:title>R</r:title><r:item><r:title>Item</r:title><r:link>https://r.example/i</r:link></r:item></r:channel></r:rss>`);
    expect(f.title).toBe('R');
    expect(f.items[0]).toMatchObject({ title: 'Item', link: 'https://r.example/i' });
  });
  it('Atom with a prefix instead of the default namespace', async () => {
    const f = await parse(`<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>P</a:title><a:entry><a:title>E</a:title><a:link href="https://a.example/e"/><a:id>1</a:id></a:entry></a:feed>`);
    expect(f.items[0]).toMatchObject({ title: 'E', link: 'https://a.example/e' });
  });
});

describe('complete entity tables', () => {
  it('decodes names outside the old table of about 150, in bodies and titles', async () => {
    const f = await parse(rss(`<item><title>x &infin; y &NotNestedGreaterGreater; z</title><description>&lt;p&gt;1 &amp;infin; 2 &amp;NotNestedGreaterGreater; 3 &amp;bogus;&lt;/p&gt;</description></item>`));
    expect(f.items[0]!.title).toBe('x ∞ y ⪢̸ z');
    const m = renderItem(f.items[0]!, { title: f.title, url });
    expect(m.summary).toBe('1 ∞ 2 ⪢̸ 3 &bogus;');
  });
});

describe('document order and nesting', () => {
  it('xhtml content keeps its text in order', async () => {
    const f = await parse(atom(`<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Read <em>this</em> now</div></title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Unhappy with <a href="https://twc.example/">Time Warner Cable</a>, I've been exploring <a href="https://netflix.example/">netflix</a>.</div></content></entry>`));
    expect(f.items[0]!.title).toBe('Read this now');
    expect(renderItem(f.items[0]!, { title: f.title, url }, 'full').summary).toBe("Unhappy with [Time Warner Cable](https://twc.example/), I've been exploring [netflix](https://netflix.example/).");
  });
  it('20,000 nested tags in one title drop that title only, not the feed', async () => {
    const deep = `${'<b>'.repeat(20_000)}deep${'</b>'.repeat(20_000)}`;
    const { value: f, ms } = await cpuTimedAsync(() => parse(rss(`<item><title>${deep}</title><dc:title>Fallback</dc:title><link>https://example.com/deep</link></item><item><title>Next</title></item>`, ' xmlns:dc="http://purl.org/dc/elements/1.1/"')));
    expect(ms).toBeLessThan(2000); // CPU time (see cpu-time.ts); quadratic nesting would take minutes
    expect(f.items.map((i) => [i.title, i.link])).toEqual([
      ['Fallback', 'https://example.com/deep'],
      ['Next', undefined],
    ]);
    const g = await parse(rss(`<item><title>ok</title><description>${deep}</description></item>`));
    expect(g.items[0]).toMatchObject({ title: 'ok', contentHtml: undefined });
    expect(renderItem(g.items[0]!, { title: g.title, url }).title).toBe('ok');
  });
  it('a truncated document is still refused as not well-formed', async () => {
    await expect(parse('<rss version="2.0"><channel><title>x</title><item><title>cut')).rejects.toMatchObject({ kind: 'parse' });
  });
});
