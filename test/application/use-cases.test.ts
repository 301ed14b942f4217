// The use cases read time and polling only through the ports they are given (clock,
// scheduler), so either runtime (in-process poller or cluster queues) can stand behind them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUseCases, type AppDeps, type SchedulerPort, type UseCases } from '../../src/application/index.js';
import { SubscriptionService } from '../../src/core/subscriptions.js';
import type { SubscriptionRecord } from '../../src/domain/records.js';
import { createLogger } from '../../src/logger.js';
import { createStore, type Store } from '../../src/store/index.js';

const channel = { platform: 'discord' as const, workspaceId: 'g', channelId: 'c' };
const T0 = Date.UTC(2030, 0, 2, 3, 4, 5);

describe('use cases over the clock and scheduler ports', () => {
  let store: Store;
  let app: UseCases;
  let now: number;
  let rescheduled: string[];
  let kicked: string[];
  let polling: Awaited<ReturnType<SchedulerPort['status']>>;
  beforeEach(async () => {
    store = await createStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'herald-app-')), 'db.sqlite')}`);
    now = T0;
    rescheduled = [];
    kicked = [];
    polling = { overdue: 0 };
    const queue = { clearChannel: async () => undefined, enqueue: async () => undefined, kick: (key: string) => void kicked.push(key), pending: 7 };
    const scheduler: SchedulerPort = { reschedule: (id) => void rescheduled.push(id), status: async () => polling };
    const subscriptions = new SubscriptionService({ store, fetcher: {} as never, queue: queue as never, pollIntervalMs: 60_000, maxItemsPerPoll: 10, now: () => now, nextCheck: (t) => t });
    const deps = { store, subscriptions, queue, scheduler, clock: { now: () => now }, logger: createLogger('silent'), metrics: {} as never, fetcher: {} as never, startedAt: T0 - 90_000 };
    app = createUseCases(deps as AppDeps);
  });
  afterEach(() => store.close());

  const add = async (url: string, extra: Partial<SubscriptionRecord> = {}) => {
    const feed = await store.feeds.ensure(url, 0);
    return store.subscriptions.add({ ...channel, feedId: feed.id, feedUrl: url, createdBy: 'u', createdAt: 0, paused: false, state: 'active', ...extra });
  };

  it('resume restarts a stopped feed at the clock’s now and tells the scheduler, and unpauses', async () => {
    const sub = await add('https://a.example/feed', { paused: true, failureNoticeSent: true });
    const feed = store.feeds.get(sub.feedId)!;
    await store.feeds.update({ ...feed, failures: 10, failingPaused: true, nextCheckAt: T0 + 86_400_000 });
    now = T0 + 5000;
    const r = await app.resume(channel, sub.id);
    expect(r.unpaused.map((s) => s.id)).toEqual([sub.id]);
    expect(r.restartedFeeds.map((f) => f.id)).toEqual([feed.id]);
    expect(store.feeds.get(feed.id)).toMatchObject({ failures: 0, nextCheckAt: T0 + 5000 });
    expect(store.feeds.get(feed.id)?.failingPaused).toBeUndefined();
    expect(store.subscriptions.get(sub.id)).toMatchObject({ paused: false, failureNoticeSent: false });
    expect(rescheduled).toEqual([feed.id]);
    expect(kicked).toHaveLength(1);
  });

  it('a digest starts at the clock’s now; an export is dated by it', async () => {
    const sub = await add('https://a.example/feed');
    const r = await app.digest(channel, sub.id, '6h', '08:00');
    expect(r.digest).toEqual({ everyMs: 6 * 3_600_000, at: '08:00', since: T0 });
    expect(store.subscriptions.get(sub.id)?.delivery?.digest?.since).toBe(T0);
    expect(app.exportOpml(channel).content).toContain(new Date(T0).toUTCString());
  });

  it('status takes overdue feeds and the last poll from the scheduler, uptime from the clock', async () => {
    await add('https://a.example/feed', { paused: true });
    polling = { overdue: 3, lastPollAt: T0 - 1000, maxLagMs: 4000 };
    expect(await app.status(channel)).toMatchObject({ overdue: 3, lastPollAt: T0 - 1000, maxLagMs: 4000, uptimeMs: 90_000, queueDepth: 7, subscriptionsHere: 1, pausedHere: 1 });
    // A runtime that knows no lag says nothing about it rather than "0 s late".
    polling = { overdue: 2 };
    const s = await app.status(channel);
    expect(s.overdue).toBe(2);
    expect(s.maxLagMs).toBeUndefined();
    expect(s.lastPollAt).toBeUndefined();
  });
});
