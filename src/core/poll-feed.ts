// "Poll this one feed now": fetch → (skip if unchanged) → parse → ingest → record the outcome.
// It knows nothing about schedules or other feeds: the core binds it (herald.ts) and hands it
// to whichever PollScheduler the runtime provides (in-process heap, or BullMQ jobs).
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/interfaces.js';
import type { DeliveryQueue } from './deliver/queue.js';
import { FetchError, type Fetcher } from './fetch/index.js';
import { ingest } from './ingest.js';
import { parseFeed } from './parse/index.js';
import { recordFailure, recordSuccess } from './poll-outcome.js';
import type { Clock } from './runtime/ports.js';
import { firstCheck } from './schedule/next-check.js';

export interface PollFeedDeps {
  store: Store;
  fetcher: Fetcher;
  queue: DeliveryQueue;
  logger: Logger;
  metrics: Metrics;
  pollIntervalMs: number;
  maxFailures: number;
  maxItemsPerPoll: number;
  clock: Clock;
  random?: () => number;
  /**
   * Several processes share the store (a cluster): this one's cache may not have heard of a
   * new subscription yet, so "nobody reads it" is confirmed from the store before a feed is
   * forgotten.
   */
  shared?: boolean;
}

export type PollResult = 'gone' | 'not-modified' | 'unchanged' | 'new-items' | 'failed';

export interface PollReport {
  result: PollResult;
  /** When the feed is due next; undefined when it is gone or Herald stopped it (failingPaused). */
  nextCheckAt?: number;
  /** The server asked everyone to wait (429/503 + Retry-After): pause its host this long. */
  retryAfterMs?: number;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export async function pollFeed(feedId: string, d: PollFeedDeps): Promise<PollReport> {
  const { store, fetcher, metrics } = d;
  const feed = store.feeds.get(feedId);
  if (!feed) return { result: 'gone' };
  const unread = async () => !store.subscriptions.listByFeed(feedId).length && (!d.shared || !(await store.subscriptions.confirmByFeed(feedId)).length);
  if (await unread()) {
    // An uninitialised feed may be a /subscribe still under way: leave it for now.
    if (!feed.initialized) {
      const nextCheckAt = firstCheck(d.clock.now(), d.pollIntervalMs, d.random);
      store.feeds.touch(feedId, { nextCheckAt });
      return { result: 'unchanged', nextCheckAt };
    }
    // Nobody reads it any more: forget it rather than keep polling.
    await store.feeds.remove(feedId);
    await store.seen.remove(feedId);
    return { result: 'gone' };
  }
  const started = d.clock.now();
  const endTimer = metrics.fetchDuration.startTimer();
  try {
    const res = await fetcher.fetch({ url: feed.url, hostSlotHeld: true, ...(feed.etag ? { etag: feed.etag } : {}), ...(feed.lastModified ? { lastModified: feed.lastModified } : {}) });
    endTimer();
    const current = store.feeds.get(feedId);
    if (!current) return { result: 'gone' };
    // 304, or the very bytes parsed last time: nothing to parse, nothing new to record.
    if (res.status === 'not-modified' || (current.initialized && res.bodyHash === current.bodyHash)) {
      const result = res.status === 'not-modified' ? 'not-modified' : 'unchanged';
      metrics.polls.inc({ result });
      const next = await recordSuccess(current, res, undefined, started, d);
      return { result, nextCheckAt: next.nextCheckAt };
    }
    const parsed = await parseFeed({ body: res.body, url: res.url, ...(res.contentType ? { contentType: res.contentType } : {}) });
    const count = await ingest(current, parsed, { store, queue: d.queue, maxItemsPerPoll: d.maxItemsPerPoll, now: () => d.clock.now() });
    metrics.polls.inc({ result: count ? 'new-items' : 'unchanged' });
    const next = await recordSuccess(store.feeds.get(feedId) ?? current, res, parsed, started, d);
    if (count) d.logger.debug({ feed: feed.url, count }, 'new items queued');
    return { result: count ? 'new-items' : 'unchanged', nextCheckAt: next.nextCheckAt };
  } catch (err) {
    endTimer();
    const e = err instanceof FetchError ? err : new FetchError('parse', (err as Error).message);
    metrics.polls.inc({ result: e.kind });
    const next = await recordFailure(store.feeds.get(feedId) ?? feed, e, started, d);
    const report: PollReport = { result: 'failed' };
    if (!next.failingPaused) report.nextCheckAt = next.nextCheckAt;
    if (e.extra.retryAfterMs !== undefined && (e.extra.status === 429 || e.extra.status === 503)) report.retryAfterMs = e.extra.retryAfterMs;
    return report;
  }
}
