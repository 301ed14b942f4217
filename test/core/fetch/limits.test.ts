// Connection limits, deadlines and size caps: a slow, hanging or huge feed stays contained.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type FetcherOptions } from '../../../src/core/fetch/index.js';
import { parseNetworkList } from '../../../src/core/fetch/networks.js';
import { failure, LoopbackServer, RSS } from './loopback-server.js';

const feed = RSS('ok', [{ title: 'a', link: 'https://example.com/a' }]);


describe('fetcher limits', () => {
  let srv: LoopbackServer;
  let inFlight = 0;
  let peak = 0;
  const made: { close(): Promise<void> }[] = [];

  const make = (o: Partial<FetcherOptions> = {}) => {
    const f = createFetcher({
      maxBytes: 100_000,
      userAgent: 'Herald-test',
      allowedNetworks: parseNetworkList('127.0.0.1/32'),
      timeoutMs: 2000,
      // Several names for the one loopback server, so per-host limits can be told apart.
      resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
      ...o,
    });
    made.push(f);
    return f;
  };
  const at = (host: string, path: string) => `http://${host}:${srv.port}${path}`;

  beforeAll(async () => {
    srv = await new LoopbackServer().start();
    srv.route('/slow', (_q, s) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        s.writeHead(200).end(feed);
      }, 150);
    });
    srv.route('/hang', () => {
      /* never answers */
    });
    srv.serve('/fast', feed);
  });
  afterAll(async () => {
    await Promise.all(made.map((f) => f.close()));
    await srv.stop();
  });

  it('allows 2 requests per host by default, and perHost raises it', async () => {
    peak = 0;
    const f = make();
    await Promise.all(Array.from({ length: 6 }, () => f.fetch({ url: at('one.test', '/slow') })));
    expect(peak).toBe(2);
    peak = 0;
    const g = make({ perHost: 4 });
    await Promise.all(Array.from({ length: 8 }, () => g.fetch({ url: at('one.test', '/slow') })));
    expect(peak).toBe(4);
  });

  it('caps requests overall with concurrency', async () => {
    peak = 0;
    const f = make({ concurrency: 3, perHost: 5 });
    const hosts = ['a.test', 'b.test', 'c.test', 'd.test'];
    await Promise.all(hosts.flatMap((h) => [f.fetch({ url: at(h, '/slow') }), f.fetch({ url: at(h, '/slow') })]));
    expect(peak).toBe(3);
  });

  it('a hanging host times out and does not delay another host', async () => {
    // Two rounds of two hanging fetches (two per host): 2.4 s in all, 1.2 s for the other host.
    const f = make({ timeoutMs: 1200 });
    let timedOut = 0;
    const hanging = Array.from({ length: 4 }, () => failure(f.fetch({ url: at('hang.test', '/hang') })).finally(() => timedOut++));
    const other = await f.fetch({ url: at('other.test', '/fast') });
    expect(other.status).toBe('ok');
    // Order, not a wall-clock bound: the other host's answer came before any hanging fetch gave up.
    expect(timedOut).toBe(0);
    const errs = await Promise.all(hanging);
    expect(errs.map((e) => e.kind)).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
  });

  it('gives up waiting for a host slot after queueTimeoutMs', async () => {
    const f = make({ perHost: 1, timeoutMs: 1500, queueTimeoutMs: 200 });
    let firstDone = false;
    const first = failure(f.fetch({ url: at('q.test', '/hang') })).finally(() => (firstDone = true));
    const queued = await failure(f.fetch({ url: at('q.test', '/fast') }));
    expect(queued.kind).toBe('timeout');
    expect(queued.message).toMatch(/waiting/);
    // Order, not a wall-clock bound: it gave up while the slot was still held, not when it freed.
    expect(firstDone).toBe(false);
    await first;
  });

  it('the whole-request deadline covers a body that trickles forever', async () => {
    srv.route('/drip', (_q, s) => {
      s.writeHead(200, { 'content-type': 'application/rss+xml' });
      s.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      const t = setInterval(() => s.write(' '), 50);
      s.on('close', () => clearInterval(t));
    });
    const f = make({ timeoutMs: 600 });
    const t = Date.now();
    expect((await failure(f.fetch({ url: srv.url('/drip') }))).kind).toBe('timeout');
    // Real time is the point: without the deadline this fetch never ends. Generous for a busy
    // machine; any bound well under the 30 s test timeout shows the 600 ms deadline fired.
    expect(Date.now() - t).toBeLessThan(10_000);
  });

  it('refuses a declared Content-Length over maxBytes without reading it', async () => {
    srv.route('/big-declared', (_q, s) => {
      s.writeHead(200, { 'content-length': String(5_000_000) });
      s.write(Buffer.alloc(1000));
    });
    expect((await failure(make().fetch({ url: srv.url('/big-declared') }))).kind).toBe('too-large');
  });

  it('aborts a streamed body as soon as it passes maxBytes', async () => {
    let sent = 0;
    let closed: () => void = () => {};
    const done = new Promise<void>((r) => (closed = r));
    srv.route('/endless', (_q, s) => {
      s.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(16_384, 0x20);
      const pump = () => {
        while (!s.destroyed && s.write(chunk)) sent += chunk.length;
        if (!s.destroyed) s.once('drain', pump);
      };
      s.on('close', () => closed());
      pump();
    });
    expect((await failure(make().fetch({ url: srv.url('/endless') }))).kind).toBe('too-large');
    await done;
    // Socket buffers let some extra through, but the download stopped long before "endless".
    expect(sent).toBeLessThan(10_000_000);
  });

  it('caps decompressed size too (gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(20_000_000));
    expect(bomb.length).toBeLessThan(100_000);
    srv.route('/bomb', (_q, s) => s.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    expect((await failure(make().fetch({ url: srv.url('/bomb') }))).kind).toBe('too-large');
  });
});
