// A feed that reaches the store without passing through a cluster process (here: written by
// a non-cluster store, as `herald import` does beside a live cluster) still gets its poll job:
// the change bus's resync brings it into the cache and the periodic reconcile schedules it.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClusterRuntime } from '../../src/cluster/cluster-runtime.js';
import { POLL_QUEUE, pollJobId } from '../../src/cluster/poll-queue.js';
import { createFetcher } from '../../src/core/fetch/index.js';
import { parseNetworkList } from '../../src/core/fetch/networks.js';
import { createCore, type HeraldCore } from '../../src/core/herald.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createStore, type Store } from '../../src/store/index.js';
import { describeRedis, redisUrl } from './redis-db.js';

/** Its keys carry a namespace of their own, deleted at the end (the server is this file's own). */
async function dropKeys(r: Redis, namespace: string) {
  for await (const keys of r.scanStream({ match: `*${namespace}*`, count: 500 }) as AsyncIterable<string[]>) if (keys.length) await r.del(...keys);
}

describeRedis('poll jobs for feeds added behind the cluster', () => {
  let redis: Redis;
  let node: ClusterRuntime;
  let core: HeraldCore;
  let outside: Store;
  let queue: Queue;
  const ns = `reconcile-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    redis = new Redis(redisUrl());
    const store = await createStore(redisUrl(), ns, { cluster: true, resyncEveryMs: 200 });
    const logger = createLogger('silent');
    node = new ClusterRuntime({ url: redisUrl(), prefix: ns, logger, pollIntervalMs: 3_600_000, pollConcurrency: 2, perHost: 2, tokens: {} });
    core = createCore({
      store,
      fetcher: createFetcher({ maxBytes: 1_000_000, userAgent: 'test', allowedNetworks: parseNetworkList('127.0.0.1/32') }),
      logger,
      metrics: createMetrics(false),
      runtime: node,
      settings: { pollIntervalMs: 3_600_000, maxFailures: 10, maxItemsPerPoll: 10, deliveryMaxAgeMs: 86_400_000, fetchConcurrency: 2, reconcileMs: 300 },
    });
    await core.start();
    outside = await createStore(redisUrl(), ns); // no change bus: nobody is told
    queue = new Queue(POLL_QUEUE, { connection: redis, prefix: `${ns}:bull` });
  });
  afterAll(async () => {
    await node?.stopWorkers();
    await core?.stop();
    await node?.close();
    await core?.fetcher.close();
    await core?.store.close();
    await outside?.close();
    await queue?.close();
    await dropKeys(redis, ns);
    redis.disconnect();
  });

  it('schedules a feed imported by another process within a reconcile round', async () => {
    // Not due for an hour: the job waits delayed and no fetch is made.
    const feed = await outside.feeds.ensure('http://127.0.0.1:9/imported.xml', Date.now() + 3_600_000);
    expect(await queue.getJob(pollJobId(feed.id))).toBeUndefined();
    const t0 = Date.now();
    while (!(await queue.getJob(pollJobId(feed.id)))) {
      if (Date.now() - t0 > 5000) throw new Error('the imported feed got no poll job');
      await new Promise((r) => setTimeout(r, 50));
    }
    const job = await queue.getJob(pollJobId(feed.id));
    expect(await job!.isDelayed()).toBe(true);
  });
});
