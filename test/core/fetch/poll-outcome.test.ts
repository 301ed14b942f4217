// The poller against a local feed server, with the real fetcher and a real sqlite store in a
// temp dir: conditional GET, politeness hints, backoff, pause + notice, recovery, redirects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryQueue } from '../../../src/core/deliver/queue.js';
import { createFetcher, type Fetcher } from '../../../src/core/fetch/index.js';
import { parseNetworkList } from '../../../src/core/fetch/networks.js';
import { backoffInterval, effectiveInterval, retryInterval } from '../../../src/core/poll-outcome.js';
import type { Poller } from '../../../src/core/poller.js';
import { localPoller } from '../poller-fixture.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { createStore, type Delivery, type Store } from '../../../src/store/index.js';
import { LoopbackServer, RSS } from './loopback-server.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const BASE = 10 * MIN;

describe('poll outcomes', () => {
  let dir: string;
  let store: Store;
  let srv: LoopbackServer;
  let fetcher: Fetcher;
  let now = 1_700_000_000_000;
  const notices: Delivery[] = [];
  const persisted: Delivery[] = [];
  const queue = {
    persist: async (_c: unknown, ds: Delivery[]) => void persisted.push(...ds),
    enqueue: async (_c: unknown, ds: Delivery[]) => void notices.push(...ds),
    kick: () => {},
  } as unknown as DeliveryQueue;
  let poller: Poller;
  let handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  const body = RSS('Feed', [{ title: 'a', link: 'https://example.com/a' }]);

  async function feedAt(path: string) {
    const url = srv.url(path);
    // Far in the future: the poller's own timer must not poll behind the test's back.
    const feed = { ...(await store.feeds.ensure(url, now)), nextCheckAt: now + 365 * DAY };
    await store.feeds.update(feed);
    for (const platform of ['discord', 'slack'] as const) {
      await store.subscriptions.add({ platform, workspaceId: 'w', channelId: `c-${path}`, feedId: feed.id, feedUrl: url, createdBy: 'u', createdAt: now, paused: false, state: 'active' });
    }
    return feed.id;
  }
  const get = (id: string) => store.feeds.get(id)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-outcome-'));
    store = await createStore(`sqlite://${join(dir, 'h.sqlite')}`, 'outcome');
    srv = await new LoopbackServer().start();
    srv.route('*', (req, res) => handler(req, res));
    fetcher = createFetcher({ maxBytes: 1_000_000, userAgent: 'Herald-test', allowedNetworks: parseNetworkList('127.0.0.1/32'), timeoutMs: 3000 });
    poller = localPoller({ store, fetcher, queue, logger: createLogger('silent'), metrics: createMetrics(false), pollIntervalMs: BASE, maxFailures: 4, maxItemsPerPoll: 10, concurrency: 4, now: () => now, random: () => 0 });
    await poller.start();
  });
  beforeEach(() => {
    notices.length = 0;
    handler = (_q, s) => s.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
  });
  afterAll(async () => {
    await poller.stop();
    await fetcher.close();
    await srv.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('effectiveInterval: hints only lengthen the interval, at most to 2 × POLL_INTERVAL, never past a day', () => {
    expect(effectiveInterval(BASE)).toBe(BASE);
    expect(effectiveInterval(BASE, MIN)).toBe(BASE);
    expect(effectiveInterval(BASE, 15 * MIN, undefined, NaN)).toBe(15 * MIN);
    // WordPress's default sy:updatePeriod hourly must not turn 10m into 1 h.
    expect(effectiveInterval(BASE, HOUR)).toBe(2 * BASE);
    expect(effectiveInterval(BASE, 3 * DAY)).toBe(2 * BASE);
    expect(effectiveInterval(18 * HOUR, 3 * DAY)).toBe(DAY);
    expect(effectiveInterval(2 * DAY, 3 * DAY)).toBe(2 * DAY);
    expect(retryInterval(BASE, 2 * HOUR)).toBe(2 * HOUR);
    expect(retryInterval(BASE, 3 * DAY)).toBe(DAY);
    expect([1, 2, 3, 4, 8, 9, 50].map((n) => backoffInterval(BASE, n))).toEqual([BASE, 2 * BASE, 4 * BASE, 8 * BASE, 128 * BASE, DAY, DAY]);
  });

  it('stores validators, sends them back, and treats 304 or the same ETag as unchanged', async () => {
    const id = await feedAt('/cond');
    handler = (req, res) => {
      if (req.headers['if-none-match'] === '"e1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"e1"', 'last-modified': 'Tue, 01 Mar 2011 10:00:00 GMT' }).end(body);
    };
    await poller.pollNow(id);
    expect(get(id)).toMatchObject({ etag: '"e1"', lastModified: 'Tue, 01 Mar 2011 10:00:00 GMT', initialized: true, failures: 0 });
    await poller.pollNow(id);
    expect(srv.requests.at(-1)!.headers['if-none-match']).toBe('"e1"');
    expect(srv.requests.at(-1)!.headers['if-modified-since']).toBe('Tue, 01 Mar 2011 10:00:00 GMT');
    expect(get(id).lastSuccessAt).toBe(now);
    // A server that ignores If-None-Match but sends the same ETag: unchanged, validators kept.
    handler = (_q, s) => s.writeHead(200, { etag: '"e1"' }).end(body);
    await poller.pollNow(id);
    expect(get(id).etag).toBe('"e1"');
    // Empty validators from the server are dropped, so they are never sent.
    handler = (_q, s) => s.writeHead(200, { etag: '' }).end(RSS('Feed', [{ title: 'b', link: 'https://example.com/b' }]));
    await poller.pollNow(id);
    expect(get(id).etag).toBeUndefined();
    expect(get(id).lastModified).toBeUndefined();
  });

  it('honours max-age, Expires, feed ttl and sy:updatePeriod by polling less often, up to 2 × POLL_INTERVAL', async () => {
    const id = await feedAt('/hints');
    const cases: [Record<string, string>, string, number][] = [
      [{ 'cache-control': 'max-age=900' }, body, 15 * MIN],
      [{ 'cache-control': 'max-age=7200' }, body, 2 * BASE],
      [{ date: 'Tue, 01 Mar 2011 10:00:00 GMT', expires: 'Tue, 01 Mar 2011 10:18:00 GMT' }, body, 18 * MIN],
      [{}, body.replace('<channel>', '<channel><ttl>300</ttl>'), 2 * BASE],
      [{}, body.replace('<rss version="2.0">', '<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">').replace('<channel>', '<channel><sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency>'), 2 * BASE],
      [{ 'cache-control': 'max-age=60' }, body, BASE],
      [{ 'cache-control': 'max-age=604800' }, body, 2 * BASE],
    ];
    for (const [i, [headers, doc0, expected]] of cases.entries()) {
      // A distinct body each time, so the same bytes twice do not count as unchanged.
      const doc = doc0.replace('<title>Feed</title>', `<title>Feed ${i}</title>`);
      handler = (_q, s) => s.writeHead(200, headers).end(doc);
      await poller.pollNow(id);
      expect(get(id).nextCheckAt - now, JSON.stringify(headers)).toBe(expected);
    }
  });

  it('backs off ×2 per failure (Retry-After can lengthen it), pauses after maxFailures and tells each channel once', async () => {
    const id = await feedAt('/failing');
    handler = (_q, s) => s.writeHead(500).end();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      await poller.pollNow(id);
      waits.push(get(id).nextCheckAt - now);
    }
    expect(waits).toEqual([BASE, 2 * BASE, 4 * BASE]);
    expect(get(id)).toMatchObject({ failures: 3, lastError: { kind: 'http' } });
    expect(get(id).failingPaused).toBeUndefined();
    expect(notices).toHaveLength(0);

    handler = (_q, s) => s.writeHead(429, { 'retry-after': '7200' }).end();
    await poller.pollNow(id);
    expect(get(id).nextCheckAt - now).toBe(2 * HOUR);
    expect(get(id)).toMatchObject({ failures: 4, failingPaused: true });
    expect(notices.map((n) => n.message.kind)).toEqual(['notice', 'notice']);
    expect(new Set(notices.map((n) => n.subscriptionId)).size).toBe(2);
    expect(store.subscriptions.listByFeed(id).every((s) => s.failureNoticeSent)).toBe(true);

    // Paused feeds are skipped by the schedule even when due; a manual poll that fails again says nothing new.
    await store.feeds.update({ ...get(id), nextCheckAt: now - 1 });
    const before = srv.hits('/failing');
    poller.reconcile();
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.hits('/failing')).toBe(before);
    await poller.pollNow(id);
    expect(get(id).failures).toBe(5);
    expect(notices).toHaveLength(2);

    // A later success resets everything.
    handler = (_q, s) => s.writeHead(200).end(body);
    await poller.pollNow(id);
    const f = get(id);
    expect(f).toMatchObject({ failures: 0, initialized: true });
    expect(f.lastError).toBeUndefined();
    expect(f.failingPaused).toBeUndefined();
    expect(f.nextCheckAt - now).toBe(BASE);
    expect(store.subscriptions.listByFeed(id).some((s) => s.failureNoticeSent)).toBe(false);
  });

  it('classifies failures by kind', async () => {
    const id = await feedAt('/kinds');
    const kinds: [typeof handler, string][] = [
      [(_q, s) => s.writeHead(404).end(), 'http'],
      [(_q, s) => s.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>hi</body></html>'), 'not-a-feed'],
      [(_q, s) => s.writeHead(200).end('<rss version="2.0"><channel><title>x</tit'), 'parse'],
      [(_q, s) => s.writeHead(200, { 'content-length': '99999999' }).end(), 'too-large'],
    ];
    for (const [h, kind] of kinds) {
      handler = h;
      await poller.pollNow(id);
      expect(get(id).lastError?.kind).toBe(kind);
    }
  });

  it('moves the feed only after the same permanent redirect 3 polls in a row', async () => {
    const id = await feedAt('/old');
    const newUrl = srv.url('/new');
    let redirect = true;
    handler = (req, res) => {
      if (req.url === '/old' && redirect) return void res.writeHead(301, { location: '/new' }).end();
      res.writeHead(200).end(body);
    };
    await poller.pollNow(id);
    await poller.pollNow(id);
    expect(get(id).pendingRedirect).toEqual({ url: newUrl, count: 2 });
    // One poll without the redirect breaks the run.
    redirect = false;
    await poller.pollNow(id);
    expect(get(id).pendingRedirect).toBeUndefined();
    redirect = true;
    for (let i = 0; i < 3; i++) {
      expect(get(id).url).toBe(srv.url('/old'));
      await poller.pollNow(id);
    }
    expect(get(id).url).toBe(newUrl);
    expect(get(id).pendingRedirect).toBeUndefined();
    expect(store.feeds.getByUrl(newUrl)?.id).toBe(id);
    expect(store.feeds.getByUrl(srv.url('/old'))).toBeUndefined();
    expect(store.subscriptions.listByFeed(id).map((s) => s.feedUrl)).toEqual([newUrl, newUrl]);
    await poller.pollNow(id);
    expect(srv.requests.at(-1)!.url).toBe('/new');
  });

  it('posts new items from a server that sends the same ETag on every 200 (the bytes decide)', async () => {
    const id = await feedAt('/constant-etag');
    let doc = RSS('Const', [{ title: 'a', link: 'https://example.com/a' }]);
    handler = (_q, s) => s.writeHead(200, { etag: '"always-the-same"' }).end(doc);
    await poller.pollNow(id);
    expect(get(id).etag).toBe('"always-the-same"');
    doc = RSS('Const', [{ title: 'b', link: 'https://example.com/b' }, { title: 'a', link: 'https://example.com/a' }]);
    await poller.pollNow(id);
    expect(srv.requests.at(-1)!.headers['if-none-match']).toBe('"always-the-same"');
    // ingest writes through store.commitPoll, not the queue.
    const queued = (await Promise.all((await store.outbox.channels()).map((ch) => store.outbox.list(ch)))).flat().filter((d) => d.feedId === id);
    expect(queued.map((d) => d.message.kind === 'item' && d.message.title)).toEqual(['b', 'b']);
  });

  it('an unchanged poll (304, or 200 with the same bytes) writes only check times: no record, seen or parse', async () => {
    const id = await feedAt('/unchanged');
    let etag = '"u1"';
    let honour304 = true;
    handler = (req, res) => {
      if (honour304 && req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      res.writeHead(200, { etag }).end(body);
    };
    await poller.pollNow(id);
    const hash = get(id).bodyHash;
    expect(hash).toMatch(/^[\w-]{22}$/);
    const update = vi.spyOn(store.feeds, 'update');
    const touch = vi.spyOn(store.feeds, 'touch');
    const seenRecord = vi.spyOn(store.seen, 'record');
    const seenGet = vi.spyOn(store.seen, 'get');
    const parsedBefore = srv.requests.length;
    try {
      now += 1000;
      await poller.pollNow(id); // 304
      honour304 = false;
      now += 1000;
      await poller.pollNow(id); // 200, same bytes, same ETag
      expect(srv.requests.length - parsedBefore).toBe(2);
      expect(update).not.toHaveBeenCalled();
      expect(seenRecord).not.toHaveBeenCalled();
      expect(seenGet).not.toHaveBeenCalled();
      expect(touch).toHaveBeenCalledTimes(2);
      expect(touch.mock.calls[1]).toEqual([id, { nextCheckAt: now + BASE, lastCheckAt: now, lastSuccessAt: now }]);
      expect(get(id)).toMatchObject({ lastCheckAt: now, nextCheckAt: now + BASE, bodyHash: hash });
      // A new ETag on the same bytes is a real change of the record (the validator), not of the items.
      etag = '"u2"';
      await poller.pollNow(id);
      expect(update).toHaveBeenCalledTimes(1);
      expect(seenRecord).not.toHaveBeenCalled();
      expect(get(id).etag).toBe('"u2"');
    } finally {
      vi.restoreAllMocks();
    }
  });
});
