import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src/core/herald.js';
import type { Fetcher } from '../../src/core/fetch/index.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { memoryStore } from './deliver/helpers.js';

describe('Poller host fairness', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps polling other hosts while every feed of one host hangs', async () => {
    vi.useFakeTimers();
    const store = await memoryStore();
    const fetched: string[] = [];
    const fetcher: Fetcher = {
      fetch: ({ url }) => {
        fetched.push(url);
        return url.includes('hang.example') ? new Promise(() => undefined) : Promise.resolve({ status: 'not-modified' as const });
      },
      close: async () => undefined,
    };
    const core = createCore({
      store,
      fetcher,
      logger: createLogger('silent'),
      metrics: createMetrics(false),
      settings: { pollIntervalMs: 60_000, maxFailures: 10, maxItemsPerPoll: 10, deliveryMaxAgeMs: 86_400_000, fetchConcurrency: 2, fetchPerHost: 1 },
    });
    const urls = [1, 2, 3, 4].map((n) => `https://hang.example/${n}.xml`).concat('https://fine.example/feed.xml');
    for (const url of urls) {
      const feed = await store.feeds.ensure(url, 0);
      await store.feeds.update({ ...feed, initialized: true, nextCheckAt: 0 });
      await store.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId: 'c', feedId: feed.id, feedUrl: url, createdBy: 'u', createdAt: 0, paused: false, state: 'active' });
    }
    await core.scheduler.start();
    // start() spreads overdue feeds over the interval; make them all due again.
    for (const f of store.feeds.list()) await store.feeds.update({ ...f, nextCheckAt: 0 });
    for (const f of store.feeds.list()) core.scheduler.reschedule(f.id);
    await vi.advanceTimersByTimeAsync(100);
    expect(fetched).toContain('https://fine.example/feed.xml');
    expect(fetched.filter((u) => u.includes('hang.example'))).toHaveLength(1);
    await Promise.all([core.scheduler.stop(10), vi.advanceTimersByTimeAsync(10)]);
    await store.close();
  });
});
