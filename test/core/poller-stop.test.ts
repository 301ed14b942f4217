import { describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/herald.js';
import type { Poller } from '../../src/core/poller.js';
import type { Fetcher } from '../../src/core/fetch/index.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createStore } from '../../src/store/index.js';

describe('Poller.stop', () => {
  it('does not wait out a hanging fetch, so shutdown stays within its 10 s', async () => {
    const store = await createStore('sqlite://:memory:');
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
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toBe(1);
    const t0 = Date.now();
    await poller.stop(200);
    expect(Date.now() - t0).toBeLessThan(1000);
    await store.close();
  });
});
