// The fetcher against a local server: headers, conditional GET, redirects, cache hints, errors.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher, type FetchResult } from '../../../src/core/fetch/index.js';
import { parseNetworkList } from '../../../src/core/fetch/networks.js';
import { failure, LoopbackServer, RSS } from './loopback-server.js';

const UA = 'Herald/9.9.9 (+https://github.com/herald-bot/herald)';
const feed = RSS('ok', [{ title: 'a', link: 'https://example.com/a' }]);


function ok(r: FetchResult): Extract<FetchResult, { status: 'ok' }> {
  expect(r.status).toBe('ok');
  return r as Extract<FetchResult, { status: 'ok' }>;
}

describe('fetcher', () => {
  let srv: LoopbackServer;
  let fetcher: Fetcher;

  beforeAll(async () => {
    srv = await new LoopbackServer().start();
    fetcher = createFetcher({ maxBytes: 100_000, userAgent: UA, allowedNetworks: parseNetworkList('127.0.0.1/32'), timeoutMs: 3000 });
  });
  afterAll(async () => {
    await fetcher.close();
    await srv.stop();
  });

  it('sends a ranked Accept and the Herald User-Agent', async () => {
    srv.serve('/h', feed);
    await fetcher.fetch({ url: srv.url('/h') });
    const req = srv.requests.at(-1)!;
    expect(req.headers['user-agent']).toBe(UA);
    const accept = req.headers.accept!;
    expect(accept.indexOf('application/rss+xml')).toBeLessThan(accept.indexOf('text/xml'));
    expect(accept).toContain('application/atom+xml');
    expect(accept).toContain('application/feed+json');
  });

  it('sends validators, drops empty ones, and maps 304 to not-modified', async () => {
    srv.route('/cond', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { 'cache-control': 'max-age=3600' }).end();
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Tue, 01 Mar 2011 10:00:00 GMT', 'content-type': 'application/rss+xml' }).end(feed);
    });
    const first = ok(await fetcher.fetch({ url: srv.url('/cond') }));
    expect(first.etag).toBe('"v1"');
    expect(first.lastModified).toBe('Tue, 01 Mar 2011 10:00:00 GMT');
    expect(await fetcher.fetch({ url: srv.url('/cond'), etag: '"v1"', lastModified: first.lastModified! })).toEqual({ status: 'not-modified', minIntervalMs: 3_600_000 });
    expect(srv.requests.at(-1)!.headers['if-modified-since']).toBe(first.lastModified);

    await fetcher.fetch({ url: srv.url('/cond'), etag: '  ', lastModified: '' });
    const last = srv.requests.at(-1)!;
    expect(last.headers).not.toHaveProperty('if-none-match');
    expect(last.headers).not.toHaveProperty('if-modified-since');
  });

  it('reads a 200 carrying the ETag we sent as a body (a constant ETag), hashed so equal bytes can be told', async () => {
    let body = feed;
    srv.route('/same-etag', (_req, res) => res.writeHead(200, { etag: '"abc"' }).end(body));
    const first = ok(await fetcher.fetch({ url: srv.url('/same-etag'), etag: '"abc"' }));
    expect(first.body.toString()).toBe(feed);
    expect(ok(await fetcher.fetch({ url: srv.url('/same-etag'), etag: '"abc"' })).bodyHash).toBe(first.bodyHash);
    body = feed.replace('</channel>', '<item><title>new</title><link>https://example.com/new</link></item></channel>');
    const changed = ok(await fetcher.fetch({ url: srv.url('/same-etag'), etag: '"abc"' }));
    expect(changed.bodyHash).not.toBe(first.bodyHash);
    expect(changed.etag).toBe('"abc"');
  });

  it('reads Cache-Control max-age (minus Age) and Expires as a minimum interval', async () => {
    srv.route('/maxage', (_q, s) => s.writeHead(200, { 'cache-control': 'public, max-age=7200', age: '200' }).end(feed));
    expect(ok(await fetcher.fetch({ url: srv.url('/maxage') })).minIntervalMs).toBe(7_000_000);
    srv.route('/expires', (_q, s) => s.writeHead(200, { date: 'Tue, 01 Mar 2011 10:00:00 GMT', expires: 'Tue, 01 Mar 2011 12:00:00 GMT' }).end(feed));
    expect(ok(await fetcher.fetch({ url: srv.url('/expires') })).minIntervalMs).toBe(7_200_000);
    srv.route('/nocache', (_q, s) => s.writeHead(200, { 'cache-control': 'no-cache, max-age=600' }).end(feed));
    expect(ok(await fetcher.fetch({ url: srv.url('/nocache') })).minIntervalMs).toBeUndefined();
  });

  it('reports Retry-After on 429 and 503 (seconds or date)', async () => {
    srv.route('/429', (_q, s) => s.writeHead(429, { 'retry-after': '120' }).end('slow down'));
    const e429 = await failure(fetcher.fetch({ url: srv.url('/429') }));
    expect(e429.kind).toBe('http');
    expect(e429.extra).toEqual({ status: 429, retryAfterMs: 120_000 });
    srv.route('/503', (_q, s) => s.writeHead(503, { date: 'Tue, 01 Mar 2011 10:00:00 GMT', 'retry-after': 'Tue, 01 Mar 2011 11:00:00 GMT' }).end());
    expect((await failure(fetcher.fetch({ url: srv.url('/503') }))).extra).toEqual({ status: 503, retryAfterMs: 3_600_000 });
    srv.route('/404', (_q, s) => s.writeHead(404).end());
    expect((await failure(fetcher.fetch({ url: srv.url('/404') }))).extra).toEqual({ status: 404 });
  });

  it('follows up to 5 redirects and reports only a leading run of permanent ones', async () => {
    for (let i = 0; i < 7; i++) srv.route(`/r${i}`, (_q, s) => s.writeHead(i === 2 ? 302 : 301, { location: `/r${i + 1}` }).end());
    srv.serve('/r7', feed);
    srv.route('/p0', (_q, s) => s.writeHead(308, { location: srv.url('/p1') }).end());
    srv.route('/p1', (_q, s) => s.writeHead(301, { location: '/final#frag' }).end());
    srv.serve('/final', feed);
    srv.route('/t0', (_q, s) => s.writeHead(302, { location: '/t1' }).end());
    srv.route('/t1', (_q, s) => s.writeHead(301, { location: '/final' }).end());

    const viaPermanent = ok(await fetcher.fetch({ url: srv.url('/p0') }));
    expect(viaPermanent.url).toBe(srv.url('/final'));
    expect(viaPermanent.permanentRedirect).toBe(srv.url('/final'));
    expect(ok(await fetcher.fetch({ url: srv.url('/t0') })).permanentRedirect).toBeUndefined();
    // r2 → r7 is 5 hops (r2 is a 302): allowed; r1 → r7 is 6 hops: refused.
    const five = ok(await fetcher.fetch({ url: srv.url('/r2') }));
    expect(five.url).toBe(srv.url('/r7'));
    expect(five.permanentRedirect).toBeUndefined();
    const tooMany = await failure(fetcher.fetch({ url: srv.url('/r1') }));
    expect(tooMany.message).toMatch(/redirects/);
  });

  it('reports permanentRedirect on a 304 behind a 301 too', async () => {
    srv.route('/old', (_q, s) => s.writeHead(301, { location: '/new' }).end());
    srv.route('/new', (q, s) => (q.headers['if-none-match'] ? s.writeHead(304).end() : s.writeHead(200, { etag: '"n"' }).end(feed)));
    expect(await fetcher.fetch({ url: srv.url('/old'), etag: '"n"' })).toEqual({ status: 'not-modified', permanentRedirect: srv.url('/new') });
  });

  it('decompresses gzip', async () => {
    srv.route('/gz', (_q, s) => s.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(feed)));
    expect(ok(await fetcher.fetch({ url: srv.url('/gz') })).body.toString()).toBe(feed);
    expect(srv.requests.at(-1)!.headers['accept-encoding']).toContain('gzip');
  });

  it('classifies connection refused, DNS and TLS failures', async () => {
    const closed = await new LoopbackServer().start();
    const port = closed.port;
    await closed.stop();
    expect((await failure(fetcher.fetch({ url: `http://127.0.0.1:${port}/` }))).kind).toBe('connect');
    // Name resolution is injected: tests must not send DNS queries off the machine.
    const noDns = createFetcher({
      maxBytes: 1000,
      userAgent: UA,
      allowedNetworks: [],
      resolveHost: () => Promise.reject(Object.assign(new Error('queryA ENOTFOUND feeds.invalid'), { code: 'ENOTFOUND' })),
    });
    expect((await failure(noDns.fetch({ url: 'http://feeds.invalid/' }))).kind).toBe('dns');
    await noDns.close();
    // TLS handshake against a plain-HTTP listener.
    expect((await failure(fetcher.fetch({ url: `https://127.0.0.1:${srv.port}/h` }))).kind).toBe('tls');
  });
});
