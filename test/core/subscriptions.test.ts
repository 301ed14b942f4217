import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribe } from '../../src/application/subscriptions.js';
import { createCore, type HeraldCore } from '../../src/core/herald.js';
import { createFetcher } from '../../src/core/fetch/index.js';
import { parseNetworkList } from '../../src/core/fetch/networks.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createStore } from '../../src/store/index.js';
import { FeedServer } from '../fakes/feed-server.js';

describe('SubscriptionService', () => {
  let feeds: FeedServer;
  let core: HeraldCore;
  beforeAll(async () => {
    feeds = await new FeedServer().start();
    const store = await createStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'herald-subs-')), 'db.sqlite')}`);
    const fetcher = createFetcher({ maxBytes: 1_000_000, userAgent: 'test', allowedNetworks: parseNetworkList('127.0.0.1/32') });
    core = createCore({
      store,
      fetcher,
      logger: createLogger('silent'),
      metrics: createMetrics(false),
      settings: { pollIntervalMs: 60_000, maxFailures: 10, maxItemsPerPoll: 10, deliveryMaxAgeMs: 86_400_000, fetchConcurrency: 4 },
    });
  });
  afterAll(async () => {
    await core.store.close();
    await feeds.stop();
  });

  it('adds one subscription when the same channel subscribes twice at once', async () => {
    const feed = feeds.feed('/race.xml', 'Race', [{ title: 'one', guid: '1' }]);
    const channel = { platform: 'discord' as const, workspaceId: 'g', channelId: 'c-race' };
    const results = await Promise.all([0, 1, 2].map(() => core.subscriptions.subscribe({ channel, url: feed.url, userId: 'u' })));
    expect(results.filter((r) => !r.alreadySubscribed)).toHaveLength(1);
    expect(core.store.subscriptions.listByChannel(channel)).toHaveLength(1);
  });

  it('records the existing items of a new feed as seen, and removes the feed with its last subscription', async () => {
    const feed = feeds.feed('/first.xml', 'First', [{ title: 'old', guid: 'old' }]);
    const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
    const r = await core.subscriptions.subscribe({ channel, url: feed.url, userId: 'u' });
    expect(await core.store.seen.get(r.feed.id)).toContain('g:old');
    expect(core.store.feeds.get(r.feed.id)?.initialized).toBe(true);
    await unsubscribe(core, channel, r.subscription.id);
    expect(core.store.feeds.get(r.feed.id)).toBeUndefined();
  });
});
