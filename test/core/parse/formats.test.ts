// Every supported format, minimal documents: titles, links, dates, order, ids.
import { describe, expect, it } from 'vitest';
import { oldestFirst } from '../../../src/core/identify/index.js';
import { parseFeed } from '../../../src/core/parse/index.js';

const url = 'https://example.com/feed';
const parse = (doc: string, contentType?: string) => parseFeed({ body: Buffer.from(doc), url, ...(contentType ? { contentType } : {}) });

describe('formats', () => {
  it('RSS 0.91 and 0.92', async () => {
    const f = await parse(`<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link>
      <item><title>A</title><link>https://old.example/a</link></item></channel></rss>`);
    expect(f).toMatchObject({ title: 'Old', link: 'https://old.example/', items: [{ title: 'A', link: 'https://old.example/a' }] });
    const g = await parse(`<rss version="0.92"><channel><title>x</title><item><description>only text</description><enclosure url="https://old.example/a.mp3" type="audio/mpeg" length="1"/></item></channel></rss>`);
    expect(g.items[0]).toMatchObject({ title: '', contentHtml: 'only text', images: [] });
  });

  it('RSS 0.90 and 1.0 (RDF) with dc:date', async () => {
    const f = await parse(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://r.example/"><title>RDF</title><link>https://r.example/</link></channel>
      <item rdf:about="https://r.example/1"><title>One</title><link>https://r.example/1</link><dc:date>2019-08-24</dc:date></item>
      <item rdf:about="https://r.example/2"><title>Two</title><link>https://r.example/2</link><dc:date>2019-08-27T10:00:00+02:00</dc:date></item>
      </rdf:RDF>`);
    expect(f.items.map((i) => [i.title, i.date])).toEqual([
      ['One', '2019-08-24T00:00:00.000Z'],
      ['Two', '2019-08-27T08:00:00.000Z'],
    ]);
    const n = await parse(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>N</title><link>https://n.example/</link></channel><item><title>Ü</title><link>https://n.example/u</link></item></rdf:RDF>`);
    expect(n.items[0]).toMatchObject({ title: 'Ü', link: 'https://n.example/u' });
  });

  it('RSS 2.0 without a version attribute, guid as permalink', async () => {
    const f = await parse(`<rss><channel><title>x</title><item><title>G</title><guid>https://g.example/post</guid></item><item><title>H</title><guid isPermaLink="false">https://g.example/not-a-link</guid></item></channel></rss>`);
    expect(f.items[0]).toMatchObject({ id: 'g:https://g.example/post', link: 'https://g.example/post' });
    expect(f.items[1]!.link).toBeUndefined();
  });

  it('Atom 1.0: published, then updated; alternate link; text vs html titles', async () => {
    const f = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">A &amp; B</title><link href="https://a.example/"/><link rel="self" href="https://a.example/atom"/>
      <entry><id>1</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; more</title><link rel="replies" href="https://a.example/1/comments"/><link rel="alternate" type="text/html" href="https://a.example/1"/><updated>2024-03-12T05:30:27Z</updated><published>2024-03-11T00:00:00Z</published></entry>
      <entry><id>2</id><title>Literal &lt;b&gt; here</title><link href="https://a.example/2"/><updated>2024-03-13T00:00:00Z</updated><content type="text">a &lt; b</content></entry>
      </feed>`);
    expect(f.title).toBe('A & B');
    expect(f.items[0]).toMatchObject({ title: 'Bold & more', link: 'https://a.example/1', date: '2024-03-11T00:00:00.000Z' });
    expect(f.items[1]).toMatchObject({ title: 'Literal <b> here', date: '2024-03-13T00:00:00.000Z', contentHtml: 'a &lt; b' });
  });

  it('Atom 0.3: issued / modified, escaped content', async () => {
    const f = await parse(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title><link rel="alternate" type="text/html" href="https://o.example/"/>
      <entry><title>E</title><link rel="alternate" type="text/html" href="https://o.example/e"/><id>tag:o,1</id><issued>2004-05-01T10:00:00Z</issued><modified>2004-05-02T10:00:00Z</modified>
      <content type="text/html" mode="escaped">&lt;p&gt;Hi&lt;/p&gt;</content></entry></feed>`);
    expect(f.items[0]).toMatchObject({ title: 'E', link: 'https://o.example/e', date: '2004-05-01T10:00:00.000Z', contentHtml: '<p>Hi</p>' });
  });

  it('JSON Feed 1.0 and 1.1 (entities decoded in titles, markup kept literally)', async () => {
    const v1 = await parse(
      JSON.stringify({ version: 'https://jsonfeed.org/version/1', title: 'J', home_page_url: 'https://j.example/', items: [{ id: 1, title: 'It&#8217;s', url: '/posts/1', date_published: '2020-02-21T10:00:00+01:00', author: { name: 'Ann' } }] }),
      'application/feed+json',
    );
    expect(v1.items[0]).toMatchObject({ id: 'g:1', title: 'It’s', link: 'https://j.example/posts/1', date: '2020-02-21T09:00:00.000Z', author: 'Ann' });
    const v11 = await parse(
      JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [{ id: 'x', title: 'Die Rückkehr von <i> und <b>', external_url: 'https://elsewhere.example/', authors: [{ name: 'A' }, { name: 'B' }], attachments: [{ url: 'https://j.example/p.png', mime_type: 'image/png' }] }] }),
      'application/json',
    );
    expect(v11.items[0]).toMatchObject({ title: 'Die Rückkehr von <i> und <b>', link: 'https://elsewhere.example/', author: 'A, B', images: ['https://j.example/p.png'] });
  });

  it('fills dates from every field and orders undated items by document order', async () => {
    const f = await parse(`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>x</title>
      <item><title>pub</title><pubDate>Tue, 01 Mar 2011 17:30:00 EDT</pubDate></item>
      <item><title>dc</title><dc:date>2011-03-02T00:00:00Z</dc:date></item>
      <item><title>pt</title><pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate></item>
      <item><title>junk</title><pubDate>sometime soon 2018</pubDate></item></channel></rss>`);
    expect(f.items.map((i) => i.date)).toEqual(['2011-03-01T21:30:00.000Z', '2011-03-02T00:00:00.000Z', '2018-09-24T22:42:40.000Z', undefined]);
    const undated = await parse(`<rss version="2.0"><channel><title>x</title><item><title>first</title></item><item><title>second</title></item><item><title>third</title></item></channel></rss>`);
    expect(oldestFirst(undated.items).map((i) => i.title)).toEqual(['third', 'second', 'first']);
    expect(undated.items.map((i) => i.index)).toEqual([0, 1, 2]);
  });

  it('turns HTML titles into text and decodes entities in RSS titles', async () => {
    const f = await parse(`<rss version="2.0"><channel><title>x</title>
      <item><title><![CDATA[Price <span class='webrupee'>₹</span> 5 &amp; up]]></title></item>
      <item><title>It&amp;#8217;s  a   &lt;em&gt;test&lt;/em&gt;</title></item>
      <item><title>a &lt; b</title></item></channel></rss>`);
    expect(f.items.map((i) => i.title)).toEqual(['Price ₹ 5 & up', 'It’s a test', 'a < b']);
  });

  it('maps bodies: the main one as HTML, a second one as plain text', async () => {
    const rss2 = await parse(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>x</title>
      <item><title>both</title><description>&lt;p&gt;Short &amp;amp; sweet&lt;/p&gt;</description><content:encoded><![CDATA[<p>Full <b>text</b></p>]]></content:encoded></item>
      <item><title>only description</title><description><![CDATA[<p>Just this</p>]]></description></item>
      <item><title>raw html in description</title><description><p>Un<b>escaped</b></p></description></item></channel></rss>`);
    expect(rss2.items.map((i) => [i.contentHtml, i.summaryText])).toEqual([
      ['<p>Full <b>text</b></p>', 'Short & sweet'],
      ['<p>Just this</p>', undefined],
      ['<p>Un<b>escaped</b></p>', undefined],
    ]);
    const atom = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
      <entry><title>x</title><summary>Plain &lt;summary&gt;</summary><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p class="a">Hi &amp; bye</p></div></content></entry>
      <entry><title>y</title><summary type="html">&lt;em&gt;only&lt;/em&gt; summary</summary></entry></feed>`);
    expect(atom.items[0]).toMatchObject({ contentHtml: '<div xmlns="http://www.w3.org/1999/xhtml"><p class="a">Hi &amp; bye</p></div>', summaryText: 'Plain <summary>' });
    expect(atom.items[1]).toMatchObject({ contentHtml: '<em>only</em> summary' });
    expect(atom.items[1]!.summaryText).toBeUndefined();
    const yt = await parse(`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"><title>x</title><entry><title>v</title><media:group><media:description>About the video</media:description><media:thumbnail url="https://i.example/t.jpg"/></media:group></entry></feed>`);
    expect(yt.items[0]).toMatchObject({ summaryText: 'About the video', images: ['https://i.example/t.jpg'] });
  });
});
