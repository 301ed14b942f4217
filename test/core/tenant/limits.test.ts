// Caps per channel and per workspace, and the feed-check budget, through the real core and
// feeds served on loopback: a refused command fetches nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/domain/errors.js';
import { createFetcher } from '../../../src/core/fetch/index.js';
import { parseNetworkList } from '../../../src/core/fetch/networks.js';
import { createCore, type HeraldCore } from '../../../src/core/herald.js';
import { previewSubscription } from '../../../src/application/preview.js';
import { importOpml } from '../../../src/application/import-opml.js';
import { unsubscribe } from '../../../src/application/subscriptions.js';
import type { TenantLimitSettings } from '../../../src/core/tenant/limits.js';
import type { ChannelRef } from '../../../src/domain/types.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { createStore } from '../../../src/store/index.js';
import { FeedServer } from '../../fakes/feed-server.js';

const GUILD = 'g1';
const at = (channelId: string, workspaceId = GUILD): ChannelRef => ({ platform: 'discord', workspaceId, channelId });

describe('tenant limits', () => {
  let feeds: FeedServer;
  let core: HeraldCore;
  let now = 1_000_000;
  const start = async (tenantLimits: TenantLimitSettings) => {
    const store = await createStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'herald-tenant-')), 'db.sqlite')}`);
    const fetcher = createFetcher({ maxBytes: 1_000_000, userAgent: 'test', allowedNetworks: parseNetworkList('127.0.0.1/32') });
    core = createCore({
      store,
      fetcher,
      logger: createLogger('silent'),
      metrics: createMetrics(false),
      clock: { now: () => now },
      settings: { pollIntervalMs: 3_600_000, maxFailures: 10, maxItemsPerPoll: 10, deliveryMaxAgeMs: 86_400_000, fetchConcurrency: 4, tenantLimits },
    });
  };
  const feed = (n: number) => feeds.feed(`/f${n}.xml`, `Feed ${n}`, [{ title: 'x', guid: `x${n}` }]).url;
  const subscribe = (channel: ChannelRef, n: number) => core.subscriptions.subscribe({ channel, url: feed(n), userId: 'u' });
  const refusal = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  };
  const hits = () => [...feeds.hits.values()].reduce((a, b) => a + b, 0);

  beforeEach(async () => {
    feeds = await new FeedServer().start();
  });
  afterEach(async () => {
    await core.fetcher.close();
    await core.store.close();
    await feeds.stop();
  });

  it('refuses a subscription past the channel cap and past the server cap, without fetching', async () => {
    await start({ maxPerChannel: 2, maxPerWorkspace: 3, checksPerMinute: 100 });
    await subscribe(at('c1'), 1);
    await subscribe(at('c1'), 2);
    const before = hits();
    expect(await refusal(subscribe(at('c1'), 3))).toMatch(/This channel already has 2 subscriptions, the most this Herald allows in one channel \(2\)/);
    await subscribe(at('c2'), 3);
    expect(await refusal(subscribe(at('c3'), 4))).toMatch(/This server already has 3 subscriptions.*\(3\)/);
    expect(hits()).toBe(before + 1); // only c2's subscribe fetched
    // Room freed by an unsubscribe is there at once.
    await unsubscribe(core, at('c2'), feed(3));
    await subscribe(at('c3'), 4);
    // Another server has its own caps; re-subscribing to a feed already here is no new subscription.
    await subscribe(at('c9', 'g2'), 5);
    expect((await subscribe(at('c1'), 1)).alreadySubscribed).toBe(true);
  });

  it('holds the cap when many subscribes race', async () => {
    await start({ maxPerChannel: 3, maxPerWorkspace: 100, checksPerMinute: 100 });
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((n) => subscribe(at('race'), n)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(core.store.subscriptions.listByChannel(at('race'))).toHaveLength(3);
  });

  it('limits feed checks per server per minute: subscribe and preview take one each, refused ones fetch nothing', async () => {
    await start({ maxPerChannel: 50, maxPerWorkspace: 500, checksPerMinute: 3 });
    const first = await subscribe(at('c1'), 1);
    await subscribe(at('c1'), 2);
    await previewSubscription(core, first.subscription);
    const before = hits();
    expect(await refusal(subscribe(at('c2'), 3))).toMatch(/This server has used up its feed checks for now \(Herald checks at most 3 feeds a minute for one server\)\. Try again in 20 s\./);
    expect(await refusal(previewSubscription(core, first.subscription))).toMatch(/used up its feed checks/);
    expect(hits()).toBe(before);
    await subscribe(at('c1', 'other-guild'), 3); // another server is not held up
    now += 20_000;
    await subscribe(at('c2'), 3);
  });

  it('imports up to the cap and the budget, fetching nothing for what it leaves out or already has', async () => {
    await start({ maxPerChannel: 5, maxPerWorkspace: 500, checksPerMinute: 4 });
    await subscribe(at('c1'), 1);
    const entries = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ xmlUrl: feed(n), categories: [] }));
    const before = hits();
    const r = await importOpml(core, { channel: at('c1'), userId: 'u', entries });
    // f1 is here already (no fetch); room for 4 more; 3 checks left in the budget.
    expect(r.already.map((x) => x.entry.xmlUrl)).toEqual([feed(1)]);
    expect(r.added).toHaveLength(3);
    expect(r).toMatchObject({ overCap: 3, overRate: 1 });
    expect(hits()).toBe(before + 3);
    now += 60_000;
    const again = await importOpml(core, { channel: at('c1'), userId: 'u', entries });
    expect(again.added).toHaveLength(1);
    expect(again).toMatchObject({ overCap: 3, overRate: 0 });
    expect(core.store.subscriptions.listByChannel(at('c1'))).toHaveLength(5);
  });
});
