// The two runtimes under one harness: a core over the single-process runtime (SQLite in
// memory), or over the cluster runtime (a Redis store and BullMQ, on the suite's private
// Redis). The contract scenarios (scenarios.ts) get one of these and never ask which.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ClusterRuntime } from '../../src/cluster/cluster-runtime.js';
import { FetchError, type Fetcher, type FetchResult } from '../../src/core/fetch/index.js';
import { createCore, type HeraldCore } from '../../src/core/herald.js';
import { localRuntime } from '../../src/core/runtime/local.js';
import type { Runtime } from '../../src/core/runtime/ports.js';
import type { MessageSender } from '../../src/domain/types.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createStore, type Store } from '../../src/store/index.js';
import { redisUrl } from '../cluster/redis-db.js';

export interface WorldOptions {
  pollIntervalMs?: number;
  perHost?: number;
  /** Fetches of these URLs hang until the world stops. */
  hang?: (url: string) => boolean;
  /** The answer to the n-th fetch (1-based) of a URL; 304 when absent. */
  answer?: (url: string, n: number) => FetchResult | FetchError | undefined;
  senders?: (core: HeraldCore) => MessageSender[];
}

export interface World {
  kind: 'local' | 'cluster';
  core: HeraldCore;
  store: Store;
  /** Fetch starts, by URL, in order. */
  fetches: string[];
  /** Fetch starts with their times. */
  fetchTimes: [string, number][];
  stop(): Promise<void>;
}

export type MakeWorld = (o?: WorldOptions) => Promise<World>;

function scriptedFetcher(o: WorldOptions, fetches: string[], times: [string, number][]) {
  const hanging: (() => void)[] = [];
  const fetcher: Fetcher = {
    fetch: async ({ url }) => {
      fetches.push(url);
      times.push([url, Date.now()]);
      if (o.hang?.(url)) await new Promise<void>((resolve) => hanging.push(resolve));
      const a = o.answer?.(url, fetches.filter((u) => u === url).length);
      if (a instanceof FetchError) throw a;
      return a ?? ({ status: 'not-modified' } satisfies FetchResult);
    },
    close: async () => undefined,
  };
  return { fetcher, release: () => hanging.splice(0).forEach((r) => r()) };
}

async function assemble(kind: World['kind'], store: Store, runtime: Runtime, o: WorldOptions, after: () => Promise<void>): Promise<World> {
  const fetches: string[] = [];
  const fetchTimes: [string, number][] = [];
  const { fetcher, release } = scriptedFetcher(o, fetches, fetchTimes);
  const core = createCore({
    store,
    fetcher,
    runtime,
    logger: createLogger('silent'),
    metrics: createMetrics(false),
    settings: { pollIntervalMs: o.pollIntervalMs ?? 3_600_000, maxFailures: 10, maxItemsPerPoll: 10, deliveryMaxAgeMs: 86_400_000, fetchConcurrency: 4, ...(o.perHost ? { fetchPerHost: o.perHost } : {}) },
  });
  for (const s of o.senders?.(core) ?? []) core.addSender(s);
  await core.start();
  return {
    kind,
    core,
    store,
    fetches,
    fetchTimes,
    async stop() {
      release();
      await runtime.stopWorkers();
      await core.stop();
      await runtime.close();
      await store.close();
      await after();
    },
  };
}

export const localWorld: MakeWorld = async (o = {}) => {
  const store = await createStore('sqlite://:memory:', `rt-${randomUUID()}`);
  const runtime = localRuntime({ pollIntervalMs: o.pollIntervalMs ?? 3_600_000, pollConcurrency: 4, ...(o.perHost ? { perHost: o.perHost } : {}) });
  return assemble('local', store, runtime, o, async () => undefined);
};

/** Redis db 1 is shared with another file: every world keeps to its own namespace and deletes it. */
const DB = 1;

export const clusterWorld: MakeWorld = async (o = {}) => {
  const ns = `rt-${randomUUID().slice(0, 8)}`;
  const store = await createStore(redisUrl(DB), ns, { cluster: true });
  const runtime = new ClusterRuntime({ url: redisUrl(DB), prefix: ns, logger: createLogger('silent'), pollIntervalMs: o.pollIntervalMs ?? 3_600_000, pollConcurrency: 4, perHost: o.perHost ?? 100, tokens: { discord: 'bot', slack: 'xoxb' } });
  return assemble('cluster', store, runtime, o, async () => {
    const r = new Redis(redisUrl(DB));
    for await (const keys of r.scanStream({ match: `*${ns}*`, count: 500 }) as AsyncIterable<string[]>) if (keys.length) await r.del(...keys);
    r.disconnect();
  });
};

/** Waits for a condition, a bounded number of times (never a fixed sleep). */
export async function until<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, what: string, tries = 200, everyMs = 50): Promise<T> {
  let v = await probe();
  for (let i = 0; i < tries && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    v = await probe();
  }
  if (!ok(v)) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v)}`);
  return v;
}
