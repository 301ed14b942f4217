import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src/core/herald.js';
import type { Poller } from '../../src/core/poller.js';
import type { Fetcher } from '../../src/core/fetch/index.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { memoryStore } from './deliver/helpers.js';

describe('Poller.stop', () => {
  afterEach(() => vi.useRealTimers());

  it('does not wait out a hanging fetch, so shutdown stays within its 10 s', async () => {
    vi.useFakeTimers();
    const store = await memoryStore();
    let started = 0;
    const fetcher: Fetcher = { fetch: () => ((started++, new Promise(() => undefined))), close: async () => undefined };
    const core = createCore({
      store,
      fetcher,
      logger: createLogger('silent'),
      metrics: createMetrics(false),
      settings: { pollIntervalMs: 1000, maxFailures: 10, maxItemsPerPoll: 10, deliveryMaxAgeMs: 86_400_000, fetchConcurrency: 2 },
    });
    const feed = await store.feeds.ensure('https://example.com/hang.xml', 0);
    await store.feeds.update({ ...feed, initialized: true });
    await store.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId: 'c', feedId: feed.id, feedUrl: feed.url, createdBy: 'u', createdAt: 0, paused: false, state: 'active' });
    const poller = core.scheduler as Poller; // the single-process runtime's
    await poller.start();
    void poller.pollNow(feed.id);
    await vi.advanceTimersByTimeAsync(50);
    expect(started).toBe(1);
    // The fetch never ends; stop() gives up on it after its grace (fake time: exactly 200 ms).
    let stopped = false;
    void poller.stop(200).then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(199);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(stopped).toBe(true);
    await store.close();
  });
});
