// Per-tenant limits across a cluster (issue 14): two cores, each on its own cluster-mode store
// and Redis connection over one db, stand for two processes behind a load balancer. The
// feed-check budget, the subscription caps and "one subscription per feed and channel" must
// hold for both together, not for each.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createFetcher } from '../../src/core/fetch/index.js';
import { parseNetworkList } from '../../src/core/fetch/networks.js';
import { createCore, type HeraldCore } from '../../src/core/herald.js';
import { localRuntime } from '../../src/core/runtime/local.js';
import { importOpml } from '../../src/application/import-opml.js';
import type { TenantLimitSettings } from '../../src/core/tenant/limits.js';
import type { ChannelRef } from '../../src/domain/types.js';
import { redisTenantPorts } from '../../src/cluster/redis-tenant.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createStore } from '../../src/store/index.js';
import { scanPrefix } from '../../src/store/scan-prefix.js';
import { FeedServer } from '../fakes/feed-server.js';
import { describeRedis, redisUrl } from './redis-db.js';

/** Its keys carry a namespace of their own, deleted at the end (the server is this file's own). */
async function dropKeys(r: Redis, namespace: string) {
  for await (const keys of r.scanStream({ match: `*${namespace}*`, count: 500 }) as AsyncIterable<string[]>) if (keys.length) await r.del(...keys);
}

const at = (channelId: string, workspaceId = 'g1'): ChannelRef => ({ platform: 'discord', workspaceId, channelId });

describeRedis('tenant limits in a cluster', () => {
  let redis: Redis;
  let feeds: FeedServer;
  let cores: HeraldCore[] = [];
  let conns: Redis[] = [];
  const namespaces: string[] = [];

  /** Two "processes" sharing one store namespace and one cluster prefix. */
  const cluster = async (limits: TenantLimitSettings): Promise<[HeraldCore, HeraldCore]> => {
    const ns = `tenant-${randomUUID().slice(0, 8)}`;
    namespaces.push(ns);
    const make = async () => {
      const store = await createStore(redisUrl(), ns, { cluster: true });
      const conn = new Redis(redisUrl(), { maxRetriesPerRequest: null });
      conns.push(conn);
      const core = createCore({
        store,
        fetcher: createFetcher({ maxBytes: 1_000_000, userAgent: 'test', allowedNetworks: parseNetworkList('127.0.0.1/32') }),
        logger: createLogger('silent'),
        metrics: createMetrics(false),
        settings: { pollIntervalMs: 3_600_000, maxFailures: 10, maxItemsPerPoll: 10, deliveryMaxAgeMs: 86_400_000, fetchConcurrency: 4, tenantLimits: limits },
        // The single-process runtime, but with the cluster's tenant limits: what this file tests.
        runtime: { ...localRuntime({ pollIntervalMs: 3_600_000, pollConcurrency: 4 }), tenantPorts: (budget) => redisTenantPorts({ redis: conn, prefix: `${ns}:`, ...budget }) },
      });
      cores.push(core);
      return core;
    };
    return [await make(), await make()];
  };
  const feed = (n: number) => feeds.feed(`/f${n}.xml`, `Feed ${n}`, [{ title: 'x', guid: `x${n}` }]).url;
  const subscribe = (core: HeraldCore, channel: ChannelRef, n: number) => core.subscriptions.subscribe({ channel, url: feed(n), userId: 'u' });
  /** The store's own view, not either cache: a fresh read of every subscription key. */
  const stored = async (core: HeraldCore, channel?: ChannelRef) => {
    const subs: { feedId: string; channelId: string; feedUrl: string }[] = [];
    for await (const [, value] of scanPrefix(core.store.keyv, 'sub:')) subs.push(value as never);
    return channel ? subs.filter((s) => s.channelId === channel.channelId) : subs;
  };

  beforeAll(async () => {
    redis = new Redis(redisUrl());
    feeds = await new FeedServer().start();
  });
  afterEach(async () => {
    for (const c of cores) {
      await c.fetcher.close();
      await c.store.close();
    }
    for (const c of conns) c.disconnect();
    cores = [];
    conns = [];
  });
  afterAll(async () => {
    await feeds.stop();
    for (const ns of namespaces) await dropKeys(redis, ns);
    redis.disconnect();
  });

  it('shares one feed-check budget per workspace between processes', async () => {
    const [a, b] = await cluster({ maxPerChannel: 50, maxPerWorkspace: 500, checksPerMinute: 4 });
    expect(await a.subscriptions.limits.reserveChecks(at('c1'), 3)).toBe(3);
    expect(await b.subscriptions.limits.reserveChecks(at('c2'), 3)).toBe(1);
    await expect(b.subscriptions.limits.takeCheck(at('c3'))).rejects.toThrow(/used up its feed checks.*at most 4 feeds a minute.*Try again in \d+ s/);
    await expect(a.subscriptions.limits.takeCheck(at('c1'))).rejects.toThrow(/used up its feed checks/);
    // Another server has its own budget; checks given back are there for the other process.
    expect(await b.subscriptions.limits.reserveChecks(at('c1', 'g2'), 4)).toBe(4);
    await a.subscriptions.limits.releaseChecks(at('c1'), 2);
    expect(await b.subscriptions.limits.reserveChecks(at('c1'), 5)).toBe(2);
  });

  it('subscribes a channel to a feed once when two processes are asked at the same time', async () => {
    const [a, b] = await cluster({ maxPerChannel: 50, maxPerWorkspace: 500, checksPerMinute: 100 });
    for (let round = 0; round < 3; round++) {
      const channel = at(`dup${round}`);
      const results = await Promise.all([subscribe(a, channel, 10 + round), subscribe(b, channel, 10 + round), subscribe(a, channel, 10 + round)]);
      expect(results.filter((r) => !r.alreadySubscribed)).toHaveLength(1);
      expect(new Set(results.map((r) => r.subscription.id)).size).toBe(1);
      expect(await stored(a, channel)).toHaveLength(1);
    }
  });

  it('holds the channel and workspace caps when processes race', async () => {
    const [a, b] = await cluster({ maxPerChannel: 3, maxPerWorkspace: 5, checksPerMinute: 100 });
    const channel = at('race');
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((n) => subscribe(n % 2 ? a : b, channel, 20 + n)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await stored(a, channel)).toHaveLength(3);
    // Two more channels race for the two places the server has left.
    const more = await Promise.allSettled([1, 2, 3, 4].map((n) => subscribe(n % 2 ? a : b, at(`more${n % 2}`), 30 + n)));
    expect(more.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(await stored(a)).toHaveLength(5);
    // A process that has not heard of the others' subscriptions yet still refuses at once.
    await expect(subscribe(b, at('late'), 40)).rejects.toThrow(/This server already has 5 subscriptions/);
  });

  it('an OPML import in one process and subscribes in the other stay within the caps', async () => {
    const [a, b] = await cluster({ maxPerChannel: 4, maxPerWorkspace: 100, checksPerMinute: 100 });
    const channel = at('opml');
    const entries = [50, 51, 52, 53, 54].map((n) => ({ xmlUrl: feed(n), categories: [] }));
    const [r] = await Promise.all([importOpml(a, { channel, userId: 'u', entries }), subscribe(b, channel, 55).catch(() => undefined), subscribe(b, channel, 56).catch(() => undefined)]);
    expect(r.added.length).toBeLessThanOrEqual(4);
    expect(await stored(a, channel)).toHaveLength(4);
  });
});
