// The scheduler with a scripted fetcher: fairness on one host, per-host concurrency without a
// per-tick cap, most overdue first, Retry-After pausing a whole host, equal slip under overload.
// Fake timers and an in-memory store: time only moves when the test says, so every bound
// below is exact on any machine, however busy.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryQueue } from '../../../src/core/deliver/queue.js';
import { FetchError, type Fetcher, type FetchResult } from '../../../src/core/fetch/index.js';
import { collectStatus } from '../../../src/application/status.js';
import type { Poller } from '../../../src/core/poller.js';
import { localPoller } from '../poller-fixture.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import type { Store } from '../../../src/store/index.js';
import { memoryStore } from '../deliver/helpers.js';

/** Moves the fake clock on, running every timer and the promises they start. */
const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);

interface World {
  store: Store;
  poller: Poller;
  metrics: ReturnType<typeof createMetrics>;
  /** Fetch start times per URL. */
  starts: Map<string, number[]>;
  order: string[];
  maxPerHost: Map<string, number>;
}

const worlds: World[] = [];
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  // Real time again first: stop() waits out its grace on a timer.
  vi.useRealTimers();
  for (const w of worlds.splice(0)) {
    await w.poller.stop(100);
    await w.store.close();
  }
});

async function world(opts: { interval: number; concurrency: number; perHost: number; fetchMs: number; answer?: (url: string) => FetchResult | FetchError }): Promise<World> {
  const store = await memoryStore();
  const starts = new Map<string, number[]>();
  const order: string[] = [];
  const active = new Map<string, number>();
  const maxPerHost = new Map<string, number>();
  const fetcher: Fetcher = {
    async fetch({ url }) {
      const host = new URL(url).host;
      order.push(url);
      starts.set(url, [...(starts.get(url) ?? []), Date.now()]);
      active.set(host, (active.get(host) ?? 0) + 1);
      maxPerHost.set(host, Math.max(maxPerHost.get(host) ?? 0, active.get(host)!));
      await new Promise((r) => setTimeout(r, opts.fetchMs)); // a fake timer too
      active.set(host, active.get(host)! - 1);
      const a = opts.answer?.(url) ?? { status: 'not-modified' as const };
      if (a instanceof FetchError) throw a;
      return a;
    },
    close: async () => undefined,
  };
  const metrics = createMetrics(false);
  const queue = { persist: async () => {}, enqueue: async () => {}, kick: () => {} } as unknown as DeliveryQueue;
  const poller = localPoller({ store, fetcher, queue, logger: createLogger('silent'), metrics, pollIntervalMs: opts.interval, maxFailures: 1000, maxItemsPerPoll: 10, concurrency: opts.concurrency, perHost: opts.perHost });
  const w = { store, poller, metrics, starts, order, maxPerHost };
  worlds.push(w);
  return w;
}

async function addFeed(store: Store, url: string, nextCheckAt: number) {
  const feed = await store.feeds.ensure(url, 0);
  await store.feeds.update({ ...feed, initialized: true, nextCheckAt });
  await store.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId: url, feedId: feed.id, feedUrl: url, createdBy: 'u', createdAt: 0, paused: false, state: 'active' });
  return feed.id;
}

describe('scheduler', () => {
  it('polls all 37 feeds of one host every interval, FETCH_PER_HOST at a time, none starving', async () => {
    const w = await world({ interval: 400, concurrency: 32, perHost: 2, fetchMs: 5 });
    const urls = Array.from({ length: 37 }, (_, i) => `https://one.example/feed-${i}.xml`);
    for (const u of urls) await addFeed(w.store, u, Date.now());
    await w.poller.start();
    await sleep(2500);
    const counts = urls.map((u) => w.starts.get(u)?.length ?? 0);
    // About 2500 / 420 ≈ 6 polls each; the old per-tick scan gave the back of the list none.
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(4);
    expect(w.maxPerHost.get('one.example')).toBe(2);
    // No poll started more than one interval late.
    const lag = (await w.metrics.registry.getSingleMetric('herald_poll_lag_seconds')!.get()).values as { metricName?: string; labels: Record<string, unknown>; value: number }[];
    const count = lag.find((v) => v.metricName === 'herald_poll_lag_seconds_count')!.value;
    const within = lag.find((v) => v.metricName === 'herald_poll_lag_seconds_bucket' && v.labels.le === 0.25)!.value;
    expect(count).toBeGreaterThan(37 * 4);
    expect(within).toBe(count);
  });

  it('POLL_INTERVAL means the interval: each feed is polled once per interval, not once per interval + poll time + jitter', async () => {
    const w = await world({ interval: 1000, concurrency: 32, perHost: 2, fetchMs: 100 });
    const urls = Array.from({ length: 10 }, (_, i) => `https://h${i}.example/feed.xml`);
    for (const u of urls) await addFeed(w.store, u, Date.now());
    await w.poller.start();
    await sleep(40_000);
    // Due at 0, 1 s, … 39 s: 40 polls each. Counting from each poll's start plus up to 10%
    // jitter (before part 13) gave about 38.
    for (const u of urls) expect(w.starts.get(u)).toHaveLength(40);
  });

  it('keeps a host at FETCH_PER_HOST at once but starts the next as soon as one ends (no per-tick cap)', async () => {
    const w = await world({ interval: 60_000, concurrency: 32, perHost: 2, fetchMs: 10 });
    const now = Date.now();
    for (let i = 0; i < 100; i++) await addFeed(w.store, `https://busy.example/${i}.xml`, now + 60_000);
    await w.poller.start();
    for (const f of w.store.feeds.list()) await w.store.feeds.update({ ...f, nextCheckAt: Date.now() - 1 });
    const t0 = Date.now();
    for (const f of w.store.feeds.list()) w.poller.reschedule(f.id);
    while (w.order.length < 100 && Date.now() - t0 < 5000) await sleep(20);
    // 100 polls of 10 ms, two at a time: about 0.5 s, far more than any per-tick budget allows.
    expect(w.order).toHaveLength(100);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(w.maxPerHost.get('busy.example')).toBe(2);
  });

  it('finds feeds added behind its back on reconcile, and start() spreads overdue feeds without writing them', async () => {
    const w = await world({ interval: 60_000, concurrency: 4, perHost: 2, fetchMs: 1 });
    const id = await addFeed(w.store, 'https://spread.example/a.xml', 0);
    const touch = vi.spyOn(w.store.feeds, 'touch');
    await w.poller.start();
    expect(touch).not.toHaveBeenCalled();
    await addFeed(w.store, 'https://late.example/b.xml', Date.now() - 10);
    w.poller.reconcile();
    await sleep(50);
    expect(w.order).toContain('https://late.example/b.xml');
    // Moved earlier elsewhere (as /feeds resume does) and told: polled now.
    await w.store.feeds.update({ ...w.store.feeds.get(id)!, nextCheckAt: Date.now() - 1 });
    w.poller.reschedule(id);
    await sleep(50);
    expect(w.order).toContain('https://spread.example/a.xml');
  });

  it('starts the most overdue feed first', async () => {
    const w = await world({ interval: 60_000, concurrency: 1, perHost: 1, fetchMs: 1 });
    await w.poller.start();
    const lateness = [5, 1, 9, 3, 7, 2, 8];
    const now = Date.now();
    for (const l of lateness) await addFeed(w.store, `https://h${l}.example/feed.xml`, now - l * 1000);
    w.poller.reconcile();
    while (w.order.length < lateness.length) await sleep(10);
    expect(w.order).toEqual([...lateness].sort((a, b) => b - a).map((l) => `https://h${l}.example/feed.xml`));
  });

  it('pauses a host that answered 429 with Retry-After for all its feeds, while other hosts go on', async () => {
    let limited = true;
    const w = await world({
      interval: 200,
      concurrency: 8,
      perHost: 1,
      fetchMs: 2,
      answer: (url) => (url.includes('limited.example') && limited ? ((limited = false), new FetchError('http', 'HTTP 429', { status: 429, retryAfterMs: 1500 })) : { status: 'not-modified' }),
    });
    const now = Date.now();
    for (let i = 0; i < 5; i++) await addFeed(w.store, `https://limited.example/${i}.xml`, now + i);
    await addFeed(w.store, 'https://other.example/feed.xml', now);
    await w.poller.start();
    await Promise.all([w.poller.stop(0), sleep(1)]); // start() spread them; put them back on a known schedule
    const w2 = w.poller;
    for (const f of w.store.feeds.list()) await w.store.feeds.update({ ...f, nextCheckAt: Date.now() + (f.url.includes('/0.') ? 0 : 50) });
    await w2.start();
    const t0 = Date.now();
    await sleep(1200);
    const limitedStarts = [...w.starts.entries()].filter(([u]) => u.includes('limited.example')).flatMap(([, t]) => t).filter((t) => t >= t0 - 100);
    expect(limitedStarts).toHaveLength(1); // the 429 itself; nothing else during the pause
    expect((w.starts.get('https://other.example/feed.xml') ?? []).filter((t) => t >= t0).length).toBeGreaterThanOrEqual(4);
    expect((await w2.status()).overdue).toBeGreaterThanOrEqual(3);
    await sleep(1300);
    for (let i = 1; i < 5; i++) expect(w.starts.get(`https://limited.example/${i}.xml`)?.some((t) => t >= t0 + 1400)).toBe(true);
  });

  it('over capacity, every feed slips by about the same: no starvation, lag and overdue reported', async () => {
    // 20 feeds every 100 ms need 200 polls/s; one slot of 100 ms gives 10/s.
    const w = await world({ interval: 100, concurrency: 1, perHost: 1, fetchMs: 100 });
    const urls = Array.from({ length: 20 }, (_, i) => `https://h${i}.example/feed.xml`);
    for (const u of urls) await addFeed(w.store, u, Date.now());
    await w.poller.start();
    await sleep(4500);
    const counts = urls.map((u) => w.starts.get(u)?.length ?? 0);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect((await w.poller.status()).overdue).toBeGreaterThan(5);
    const text = await w.metrics.registry.metrics();
    expect(text).toMatch(/herald_feeds_overdue (\d+)/);
    expect(Number(/herald_feeds_overdue (\d+)/.exec(text)![1])).toBeGreaterThan(0);
    const status = await collectStatus({ store: w.store, scheduler: w.poller, queue: { pending: 0 } as never, startedAt: 0, clock: { now: () => Date.now() } }, { platform: 'discord', workspaceId: 'g', channelId: urls[0]! });
    expect(status.overdue).toBeGreaterThan(5);
    expect(status.maxLagMs).toBeGreaterThan(1000);
  });
});
