// The scheduler: each feed URL is fetched once per interval, however many channels
// subscribe, with fetches spread over the interval and a global concurrency limit.
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/index.js';
import type { FeedRecord } from '../store/records.js';
import type { DeliveryQueue } from './deliver/queue.js';
import { Semaphore } from './deliver/semaphore.js';
import { FetchError, type Fetcher } from './fetch/index.js';
import { ingest } from './ingest.js';
import { parseFeed } from './parse/index.js';
import { recordFailure, recordSuccess } from './poll-outcome.js';

export interface PollerOptions {
  store: Store;
  fetcher: Fetcher;
  queue: DeliveryQueue;
  logger: Logger;
  metrics: Metrics;
  pollIntervalMs: number;
  maxFailures: number;
  maxItemsPerPoll: number;
  concurrency: number;
  /** Polls started per feed host at once (FETCH_PER_HOST); the fetcher enforces it too. */
  perHost?: number;
  now?: () => number;
  random?: () => number;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly hostLoad = new Map<string, number>();
  private readonly limit: Semaphore;
  private stopped = true;
  readonly now: () => number;
  private readonly random: () => number;
  lastCycleAt: number | undefined;

  constructor(private readonly o: PollerOptions) {
    this.limit = new Semaphore(o.concurrency);
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
  }

  /** Next check time: one interval on, plus up to 10% jitter so feeds drift apart. */
  nextCheck(from: number, intervalMs = this.o.pollIntervalMs): number {
    return from + intervalMs + Math.floor(this.random() * intervalMs * 0.1);
  }

  async start(): Promise<void> {
    this.stopped = false;
    // After downtime every feed is overdue: spread them over one interval instead of a stampede.
    const now = this.now();
    for (const feed of this.o.store.feeds.list()) {
      if (feed.nextCheckAt < now) await this.o.store.feeds.update({ ...feed, nextCheckAt: now + Math.floor(this.random() * this.o.pollIntervalMs) });
    }
    this.schedule();
  }

  private schedule() {
    if (this.stopped) return;
    const tick = Math.max(100, Math.min(1000, this.o.pollIntervalMs / 4));
    this.timer = setTimeout(() => {
      this.dispatchDue();
      this.schedule();
    }, tick);
    this.timer.unref();
  }

  /**
   * Starts every due feed that is not already being fetched. A host that already has its
   * share of polls under way waits for the next tick instead of taking a global slot, so
   * many feeds on one hanging host never hold up feeds elsewhere.
   */
  dispatchDue(): void {
    const now = this.now();
    this.lastCycleAt = now;
    const perHost = this.o.perHost ?? Number.POSITIVE_INFINITY;
    for (const feed of this.o.store.feeds.list()) {
      if (feed.nextCheckAt > now || feed.failingPaused || this.inFlight.has(feed.id)) continue;
      if ((this.hostLoad.get(hostOf(feed.url)) ?? 0) >= perHost) continue;
      void this.pollNow(feed.id);
    }
  }

  /** Polls one feed now (or joins the poll under way). */
  pollNow(feedId: string): Promise<void> {
    const running = this.inFlight.get(feedId);
    if (running) return running;
    const host = hostOf(this.o.store.feeds.get(feedId)?.url ?? '');
    this.hostLoad.set(host, (this.hostLoad.get(host) ?? 0) + 1);
    const p = this.limit
      .run(() => this.pollFeed(feedId))
      .catch((err) => this.o.logger.error({ err, feedId }, 'poll crashed'))
      .finally(() => {
        this.inFlight.delete(feedId);
        const left = (this.hostLoad.get(host) ?? 1) - 1;
        if (left > 0) this.hostLoad.set(host, left);
        else this.hostLoad.delete(host);
      });
    this.inFlight.set(feedId, p);
    return p;
  }

  private async pollFeed(feedId: string): Promise<void> {
    const { store, fetcher, metrics, logger } = this.o;
    const feed = store.feeds.get(feedId);
    if (!feed || this.stopped) return;
    if (!store.subscriptions.listByFeed(feedId).length) {
      // An uninitialised feed may be a /subscribe still under way: leave it for now.
      if (!feed.initialized) return store.feeds.update({ ...feed, nextCheckAt: this.nextCheck(this.now()) });
      // Nobody reads it any more: forget it rather than keep polling.
      await store.feeds.remove(feedId);
      await store.seen.remove(feedId);
      return;
    }
    const started = this.now();
    const ctx = { ...this.o, nextCheck: (from: number, ms?: number) => this.nextCheck(from, ms), now: this.now };
    const endTimer = metrics.fetchDuration.startTimer();
    try {
      const res = await fetcher.fetch({ url: feed.url, ...(feed.etag ? { etag: feed.etag } : {}), ...(feed.lastModified ? { lastModified: feed.lastModified } : {}) });
      endTimer();
      if (res.status === 'not-modified') {
        metrics.polls.inc({ result: 'not-modified' });
        await recordSuccess(feed, res, undefined, started, ctx);
        return;
      }
      const parsed = await parseFeed({ body: res.body, url: res.url, ...(res.contentType ? { contentType: res.contentType } : {}) });
      const current = store.feeds.get(feedId) ?? feed;
      const count = await ingest(current, parsed, { store, queue: this.o.queue, maxItemsPerPoll: this.o.maxItemsPerPoll, now: this.now });
      metrics.polls.inc({ result: count ? 'new-items' : 'unchanged' });
      await recordSuccess(current, res, parsed, started, ctx);
      if (count) logger.debug({ feed: feed.url, count }, 'new items queued');
    } catch (err) {
      endTimer();
      const e = err instanceof FetchError ? err : new FetchError('parse', (err as Error).message);
      metrics.polls.inc({ result: e.kind });
      await recordFailure(store.feeds.get(feedId) ?? feed, e, started, ctx);
    }
  }

  /**
   * Stops scheduling and waits a little for polls under way. A fetch may take 20 s, longer
   * than a graceful shutdown may; abandoning one is safe, since new items reach the outbox
   * before they count as seen, and the next start polls the feed again.
   */
  async stop(graceMs = 3000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), grace]);
    clearTimeout(timer);
  }

  isPolling(feed: FeedRecord): boolean {
    return this.inFlight.has(feed.id);
  }
}
