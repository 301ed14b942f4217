// Relative URLs (xml:base, feed link, self link, document URL), image candidates, icons, ttl.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/core/parse/index.js';

const parse = (doc: string | Buffer, url = 'https://host.example/feeds/main.xml', contentType?: string) =>
  parseFeed({ body: Buffer.isBuffer(doc) ? doc : Buffer.from(doc), url, ...(contentType ? { contentType } : {}) });

describe('relative links', () => {
  it('nested xml:base on feed, entry and link', async () => {
    const f = await parse(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/blog/"><title>x</title>
      <entry xml:base="2015/"><title>a</title><link href="post-a"/></entry>
      <entry><title>b</title><link xml:base="/other/" href="post-b"/></entry>
      <entry><title>c</title><link href="post-c"/></entry></feed>`);
    expect(f.items.map((i) => i.link)).toEqual(['https://base.example/blog/2015/post-a', 'https://base.example/other/post-b', 'https://base.example/blog/post-c']);
  });

  it('without xml:base: the feed link, resolved against the self link, else the document URL', async () => {
    const f = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><link rel="self" href="http://site.example/blog/index.atom"/><link href="/blog/"/><icon>../favicon.ico</icon>
      <entry><title>a</title><link href="/blog/2013/01/30/Plex"/></entry><entry><title>b</title><link href="2013/b"/></entry></feed>`);
    expect(f.link).toBe('http://site.example/blog/');
    expect(f.iconUrl).toBe('http://site.example/favicon.ico');
    expect(f.items.map((i) => i.link)).toEqual(['http://site.example/blog/2013/01/30/Plex', 'http://site.example/blog/2013/b']);
    const bare = await parse(`<rss version="2.0"><channel><title>x</title><item><title>a</title><link>../posts/1</link></item></channel></rss>`);
    expect(bare.items[0]!.link).toBe('https://host.example/posts/1');
  });

  it('RSS root xml:base applies to items', async () => {
    const f = await parse(`<rss version="2.0" xml:base="https://ruben.example/"><channel><title>x</title><link>/</link><item><title>a</title><link>post/</link></item></channel></rss>`);
    expect(f.items[0]!.link).toBe('https://ruben.example/post/');
  });

  it('corpus: samruby (relative links, no xml:base) and onefoottsunami (xml:base on content)', async () => {
    const sam = await parse(readFileSync('/work/shared/corpus/feeds/samruby-relative-links.atom'), 'http://127.0.0.1:1/sam.atom', 'application/atom+xml');
    expect(sam.items[0]!.link).toBe('http://intertwingly.net/blog/2013/01/30/Plex');
    expect(sam.iconUrl).toBe('http://intertwingly.net/favicon.ico');
    const oft = await parse(readFileSync('/work/shared/corpus/feeds/onefoottsunami-xmlbase.atom'), 'http://127.0.0.1:1/oft.atom', 'application/atom+xml');
    expect(oft.items[1]!.link).toBe('http://onefoottsunami.com/2015/09/07/perverse-incentives-2/');
    expect(oft.items.every((i) => !i.title.includes('&#'))).toBe(true);
  });
});

describe('images and icons', () => {
  it('collects enclosure, media:content, media:thumbnail and itunes:image in that order', async () => {
    const f = await parse(`<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>x</title>
      <image><url>/logo.png</url><title>x</title><link>/</link></image>
      <item><title>a</title>
        <enclosure url="https://cdn.example/audio.mp3" type="audio/mpeg" length="1"/>
        <enclosure url="/img/enc.jpg" type="image/jpeg" length="1"/>
        <media:content url="https://cdn.example/video.mp4" medium="video"/>
        <media:content url="https://cdn.example/m.png" type="image/png"/>
        <media:group><media:content url="https://cdn.example/g.webp"/></media:group>
        <media:thumbnail url="https://cdn.example/thumb.jpg"/>
        <itunes:image href="https://cdn.example/cover.jpg"/>
        <description>&lt;img src="/ignored.png"&gt;</description>
      </item>
      <item><title>b</title><description>&lt;p&gt;x&lt;img alt="" src="pics/first.gif"&gt;&lt;img src="/second.gif"&gt;</description></item>
      </channel></rss>`);
    expect(f.iconUrl).toBe('https://host.example/logo.png');
    expect(f.items[0]!.images).toEqual([
      'https://host.example/img/enc.jpg',
      'https://cdn.example/m.png',
      'https://cdn.example/g.webp',
      'https://cdn.example/thumb.jpg',
      'https://cdn.example/cover.jpg',
    ]);
    expect(f.items[1]!.images).toEqual(['https://host.example/feeds/pics/first.gif']);
  });

  it('Atom icon, then logo; content img resolved against the content xml:base', async () => {
    const f = await parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><logo>https://a.example/logo.png</logo>
      <entry><title>a</title><link href="https://a.example/1"/><content type="html" xml:base="https://a.example/2015/09/post/">&lt;img src="pic.jpg"&gt;</content></entry>
      <entry><title>b</title><link rel="enclosure" type="image/png" href="https://a.example/e.png"/></entry></feed>`);
    expect(f.iconUrl).toBe('https://a.example/logo.png');
    expect(f.items[0]!.images).toEqual(['https://a.example/2015/09/post/pic.jpg']);
    expect(f.items[1]!.images).toEqual(['https://a.example/e.png']);
  });
});

describe('polling hints', () => {
  it('reads <ttl> (minutes) and sy:updatePeriod / sy:updateFrequency, taking the larger', async () => {
    const ttl = await parse(`<rss version="2.0"><channel><title>x</title><ttl>90</ttl></channel></rss>`);
    expect(ttl.ttlMs).toBe(90 * 60_000);
    const sy = await parse(`<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>x</title><sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency></channel></rss>`);
    expect(sy.ttlMs).toBe(30 * 60_000);
    const both = await parse(`<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>x</title><ttl>60</ttl><sy:updatePeriod>daily</sy:updatePeriod></channel></rss>`);
    expect(both.ttlMs).toBe(24 * 3_600_000);
    const none = await parse(`<rss version="2.0"><channel><title>x</title><ttl>soon</ttl></channel></rss>`);
    expect(none.ttlMs).toBeUndefined();
  });
});
