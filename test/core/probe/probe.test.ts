// probeFeed (behind /subscribe): direct feeds, autodiscovery, common paths, and refusals that
// must happen before any connection is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/domain/errors.js';
import { createFetcher, type Fetcher } from '../../../src/core/fetch/index.js';
import { parseNetworkList } from '../../../src/core/fetch/networks.js';
import { discoverFeeds } from '../../../src/core/parse/discover.js';
import { probeFeed } from '../../../src/core/probe.js';
import { plainReplyText } from '../../../src/domain/reply-text.js';
import { LoopbackServer, RSS } from '../fetch/loopback-server.js';

const feed = (t: string) => RSS(t, [{ title: `${t} item`, link: `https://example.com/${t}` }]);
const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom one</title><entry><title>e</title><link href="https://example.com/e"/></entry></feed>`;
const page = (head: string) => `<!DOCTYPE html><html><head><title>Blog</title>${head}</head><body><p>hello</p></body></html>`;
const HTML = { 'content-type': 'text/html; charset=utf-8' };

async function userError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return plainReplyText((err as Error).message);
}

describe('probeFeed', () => {
  let site: LoopbackServer;
  let bare: LoopbackServer;
  let forbidden: LoopbackServer;
  let fetcher: Fetcher;

  beforeAll(async () => {
    site = await new LoopbackServer().start();
    bare = await new LoopbackServer().start();
    forbidden = await new LoopbackServer('127.0.0.2').start();
    forbidden.serve('/feed', feed('secret'));
    site.route('/direct', (_q, s) => s.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"d"' }).end(feed('direct')));
    site.route('/moved', (_q, s) => s.writeHead(301, { location: '/direct' }).end());
    site.serve('/blog/', page(`<link rel="stylesheet" href="/s.css"><!-- <link rel="alternate" type="application/rss+xml" href="/commented.xml"> --><link type="application/rss+xml" rel="alternate" title="Posts" href="feeds/posts.xml"><link rel='alternate' type='application/atom+xml; charset=utf-8' href='/atom'><link rel="alternate" type="application/feed+json" title="JSON" href="${site.url('/feed.json')}">`), HTML);
    site.serve('/blog/feeds/posts.xml', feed('posts'));
    site.serve('/atom', atom, { 'content-type': 'application/atom+xml' });
    site.serve('/one', page('<base href="/base/"><link rel="alternate" type="application/atom+xml" href="atom.xml">'), HTML);
    site.serve('/base/atom.xml', atom, { 'content-type': 'application/atom+xml' });
    site.serve('/broken-first', page('<link rel="alternate" type="application/rss+xml" href="/missing.xml"><link rel="alternate" type="application/atom+xml" href="/atom">'), HTML);
    site.serve('/to-private', page(`<link rel="alternate" type="application/rss+xml" href="${forbidden.url('/feed')}">`), HTML);
    site.serve('/nolinks', page(''), HTML);
    site.serve('/rss.xml', feed('guessed'));
    bare.serve('/', page(''), HTML);
    fetcher = createFetcher({
      maxBytes: 1_000_000,
      userAgent: 'Herald-test',
      allowedNetworks: parseNetworkList('127.0.0.1/32'),
      timeoutMs: 3000,
      resolveHost: async (h) => (h === 'private.test' ? [{ address: '127.0.0.2', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]),
    });
  });
  afterAll(async () => {
    await fetcher.close();
    await Promise.all([site.stop(), bare.stop(), forbidden.stop()]);
  });

  it('takes a feed URL as it is, and follows a permanent redirect to its new home', async () => {
    const p = await probeFeed(fetcher, site.url('/direct'));
    expect(p).toMatchObject({ url: site.url('/direct'), etag: '"d"', notes: [] });
    expect(p.parsed.title).toBe('direct');
    expect((await probeFeed(fetcher, site.url('/moved'))).url).toBe(site.url('/direct'));
  });

  it('finds <link rel="alternate"> feeds on a page, picks the first and names the others', async () => {
    const p = await probeFeed(fetcher, site.url('/blog/'));
    expect(p.url).toBe(site.url('/blog/feeds/posts.xml'));
    expect(p.parsed.title).toBe('posts');
    expect(p.notes).toHaveLength(1);
    expect(plainReplyText(p.notes[0]!)).toContain('Found 3 feeds');
    expect(plainReplyText(p.notes[0]!)).toContain(`"Posts" (${site.url('/blog/feeds/posts.xml')})`);
    expect(plainReplyText(p.notes[0]!)).toContain(site.url('/atom'));
    expect(plainReplyText(p.notes[0]!)).toContain(site.url('/feed.json'));
    expect(plainReplyText(p.notes[0]!)).not.toContain('commented');
  });

  it('resolves against <base href>, and skips a listed feed that does not work', async () => {
    const one = await probeFeed(fetcher, site.url('/one'));
    expect(one.url).toBe(site.url('/base/atom.xml'));
    expect(one.notes[0]).toMatch(/using the feed it links to/);
    const second = await probeFeed(fetcher, site.url('/broken-first'));
    expect(second.url).toBe(site.url('/atom'));
  });

  it('fetches at most the first 3 of 400 listed feeds, and names the rest without fetching them', async () => {
    const many = await new LoopbackServer().start();
    try {
      const links = Array.from({ length: 400 }, (_, i) => `<link rel="alternate" type="application/rss+xml" title="Feed ${i + 1}" href="/f/${i + 1}.xml">`).join('');
      many.serve('/works', page(links), HTML);
      many.route('*', (q, s) => (q.url?.startsWith('/f/') ? s.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed(q.url)) : s.writeHead(404).end()));
      const p = await probeFeed(fetcher, many.url('/works'));
      expect(p.url).toBe(many.url('/f/1.xml'));
      expect(many.requests).toHaveLength(2); // the page and the first feed
      expect(p.notes.map(plainReplyText).join(' ')).toContain('Found 400 feeds');
      expect(p.notes.map(plainReplyText).join(' ')).toContain('"Feed 2"');
      expect(p.notes.map(plainReplyText).join(' ')).toContain('and 389 more');
      expect(p.notes.map(plainReplyText).join(' ')).toMatch(/checked only the first 3/);
      expect(p.notes.map(plainReplyText).join(' ').length).toBeLessThan(1500); // fits a chat reply

      // None of them works: 3 tried, then a clear refusal; the other 397 never fetched.
      many.requests = [];
      const dead = Array.from({ length: 400 }, (_, i) => `<link rel="alternate" type="application/atom+xml" href="/dead/${i + 1}.xml">`).join('');
      many.serve('/dead', page(dead), HTML);
      const msg = await userError(probeFeed(fetcher, many.url('/dead')));
      expect(many.requests.map((r) => r.url)).toEqual(['/dead', '/dead/1.xml', '/dead/2.xml', '/dead/3.xml']);
      expect(msg).toContain(`lists a feed at ${many.url('/dead/1.xml')}`);
      expect(msg).toMatch(/tried only the first 3 of the 400/);
      expect(msg).toContain(many.url('/dead/4.xml'));
    } finally {
      await many.stop();
    }
  });

  it('tries the usual feed paths when a page lists none', async () => {
    const p = await probeFeed(fetcher, site.url('/nolinks'));
    expect(p.url).toBe(site.url('/rss.xml'));
    expect(plainReplyText(p.notes[0]!)).toContain('announces no feed');
  });

  it('says what it tried when nothing is found', async () => {
    const msg = await userError(probeFeed(fetcher, bare.url('/')));
    for (const path of ['/feed', '/rss', '/rss.xml', '/atom.xml', '/feed.xml', '/index.xml']) {
      expect(msg).toContain(path);
      expect(bare.hits(path)).toBe(1);
    }
  });

  it('refuses private addresses without connecting: literal, other spellings, via DNS, via a page', async () => {
    for (const u of [forbidden.url('/feed'), `http://2130706434:${forbidden.port}/feed`, `http://127.0.2:${forbidden.port}/feed`, `http://private.test:${forbidden.port}/feed`]) {
      expect(await userError(probeFeed(fetcher, u)), u).toMatch(/^Refused: .*private or local addresses/);
    }
    expect(await userError(probeFeed(fetcher, site.url('/to-private')))).toMatch(/Refused/);
    expect(forbidden.connections).toBe(0);
  });

  it('refuses other schemes and credentials with a clear message', async () => {
    expect(await userError(probeFeed(fetcher, 'ftp://example.com/feed'))).toMatch(/Only http:\/\/ and https:\/\//);
    expect(await userError(probeFeed(fetcher, `http://user:pw@127.0.0.1:${site.port}/direct`))).toMatch(/user name or password/);
    expect(await userError(probeFeed(fetcher, 'not a url'))).toMatch(/is not a URL/);
  });
});

describe('discoverFeeds', () => {
  it('reads any attribute order and quoting, filters by rel and type, dedupes', () => {
    const html = `<head><LINK REL="Alternate" TYPE="application/RSS+xml" HREF="/a.xml?x=1&amp;y=2">
      <link rel="alternate" type="text/html" href="/not-a-feed">
      <link rel="alternate home" type="application/atom+xml" href=/b.atom>
      <link rel="alternate" type="application/rss+xml" href="/a.xml?x=1&y=2">
      <script>document.write('<link rel="alternate" type="application/rss+xml" href="/js.xml">')</script>
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)"></head>`;
    expect(discoverFeeds(html, 'https://site.example/blog/post')).toEqual([
      { url: 'https://site.example/a.xml?x=1&y=2', type: 'application/rss+xml' },
      { url: 'https://site.example/b.atom', type: 'application/atom+xml' },
    ]);
  });
});
