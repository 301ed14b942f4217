// Issue 10's figure: an OPML import of 200 feeds into a store that already holds 10,000
// takes under 5 s (SQLite, real SubscriptionService and fetcher, feeds on loopback). With a
// whole-collection index rewritten per new feed and subscription, each of the 400 writes
// would carry 10,000 ids; here each touches only its own key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeliveryQueue } from '../../../src/core/deliver/queue.js';
import { createFetcher, type Fetcher } from '../../../src/core/fetch/index.js';
import { parseNetworkList } from '../../../src/core/fetch/networks.js';
import { importOpml } from '../../../src/application/import-opml.js';
import { SubscriptionService } from '../../../src/core/subscriptions.js';
import { createLogger } from '../../../src/logger.js';
import { createStore, type Store } from '../../../src/store/index.js';
import { LoopbackServer, RSS } from '../fetch/loopback-server.js';
import { cpuTimedAsync } from '../../support/cpu-time.js';

const EXISTING = 10_000;
const IMPORTED = 200;
const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'import-here' };

let dir: string;
let store: Store;
let srv: LoopbackServer;
let fetcher: Fetcher;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'herald-scale-'));
  store = await createStore(`sqlite://${join(dir, 'h.sqlite')}`, 'scale');
  // Seeded through the store, as many /subscribe calls would leave it, 500 writes at a time.
  for (let start = 0; start < EXISTING; start += 500) {
    await Promise.all(
      Array.from({ length: 500 }, async (_, j) => {
        const i = start + j;
        const feed = await store.feeds.ensure(`https://seed${i % 97}.example/feed/${i}.xml`, 1);
        await store.subscriptions.add({ platform: 'discord', workspaceId: `g${i % 50}`, channelId: `c${i}`, feedId: feed.id, feedUrl: feed.url, createdBy: 'u', createdAt: i, paused: false, state: 'active' });
      }),
    );
  }
  srv = await new LoopbackServer().start();
  srv.route('*', (req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS(`Feed ${req.url}`, [{ title: 'one', link: `https://example.com${req.url}/1` }])));
  fetcher = createFetcher({ maxBytes: 1_000_000, userAgent: 'Herald-test', allowedNetworks: parseNetworkList('127.0.0.1/32'), timeoutMs: 5000 });
}, 120_000);

afterAll(async () => {
  await fetcher?.close();
  await srv?.stop();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it(`imports ${IMPORTED} feeds into a store holding ${EXISTING.toLocaleString('en')} in under 5 s`, async () => {
  expect(store.feeds.list()).toHaveLength(EXISTING);
  const queue = { enqueue: async () => undefined, persist: async () => undefined, kick: () => undefined } as unknown as DeliveryQueue;
  const subscriptions = new SubscriptionService({ store, fetcher, queue, pollIntervalMs: 600_000, maxItemsPerPoll: 10, now: Date.now, nextCheck: (from) => from + 600_000,
    // Above the default per-channel cap (50) and check budget (60/min): this measures the store.
    tenantLimits: { maxPerChannel: 1000, maxPerWorkspace: 1000, checksPerMinute: 1000 },
  });
  const entries = Array.from({ length: IMPORTED }, (_, i) => ({ xmlUrl: srv.url(`/import/${i}.xml`), categories: [] }));
  // Bytes handed to the backend during the import: an index rewrite per write would be megabytes.
  let bytes = 0;
  const set = store.keyv.set.bind(store.keyv);
  store.keyv.set = ((key: string, value: unknown, ttl?: number) => ((bytes += JSON.stringify(value).length), set(key, value, ttl))) as typeof store.keyv.set;

  // CPU time of this process (the feed server and SQLite's threads included; see cpu-time.ts):
  // the cost of the import, which a busy machine does not stretch the way it does the wall clock.
  const { value: out, ms } = await cpuTimedAsync(() => importOpml({ store, subscriptions, logger: createLogger('silent'), clock: { now: Date.now } } as unknown as Parameters<typeof importOpml>[0], { channel, userId: 'u', entries }));
  const seconds = ms / 1000;

  expect(out.failed).toEqual([]);
  expect(out.added).toHaveLength(IMPORTED);
  expect(store.subscriptions.listByChannel(channel)).toHaveLength(IMPORTED);
  expect(bytes).toBeLessThan(IMPORTED * 3 * 2000);
  expect(seconds).toBeLessThan(5);
  // Everything is there after a restart too.
  await store.close();
  store = await createStore(`sqlite://${join(dir, 'h.sqlite')}`, 'scale');
  expect(store.feeds.list()).toHaveLength(EXISTING + IMPORTED);
  expect(store.subscriptions.listByChannel(channel)).toHaveLength(IMPORTED);
}, 60_000);
