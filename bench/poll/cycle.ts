// (a) One poll cycle of N unchanged feeds (every answer a 304): Herald's fetcher against a
// bare undici loop making the same requests, same concurrency, same run, interleaved rounds.
import { Agent } from 'undici';
import { createFetcher } from '../../src/core/fetch/index.js';
import { parseNetworkList } from '../../src/core/fetch/networks.js';
import { USER_AGENT } from '../../src/version.js';
import { etagFor } from './feeds.js';

export interface CycleResult {
  feeds: number;
  concurrency: number;
  rounds: number;
  bareMs: number;
  heraldMs: number;
  /** bare time / Herald time: 1 means no overhead; the goal is ≥ 0.5. */
  ratio: number;
}

/** Runs one(i) for i in [0, n) with `concurrency` workers. */
async function drive(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchCycle(origin: string, feeds: number, concurrency: number, rounds: number): Promise<CycleResult> {
  const bareAgent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  const bare = async (i: number) => {
    const res = await bareAgent.request({ origin, path: `/f/${i}`, method: 'GET', headers: { 'if-none-match': etagFor(i, 1), 'user-agent': 'bare' } });
    await res.body.dump();
    if (res.statusCode !== 304) throw new Error(`bare: expected 304, got ${res.statusCode}`);
  };
  // All feeds live on one host here, so the per-host limit is raised to the same concurrency
  // as the bare loop: the comparison is about per-request overhead, not politeness.
  const fetcher = createFetcher({ maxBytes: 10_000_000, userAgent: USER_AGENT, allowedNetworks: parseNetworkList('127.0.0.1/32'), perHost: concurrency, concurrency });
  const herald = async (i: number) => {
    const res = await fetcher.fetch({ url: `${origin}/f/${i}`, etag: etagFor(i, 1) });
    if (res.status !== 'not-modified') throw new Error(`herald: expected not-modified, got ${res.status}`);
  };
  // Warm both: connections, JIT, DNS cache.
  await drive(Math.min(feeds, 1000), concurrency, bare);
  await drive(Math.min(feeds, 1000), concurrency, herald);
  const bareTimes: number[] = [];
  const heraldTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    bareTimes.push(await drive(feeds, concurrency, bare));
    heraldTimes.push(await drive(feeds, concurrency, herald));
  }
  await bareAgent.close();
  await fetcher.close();
  const bareMs = median(bareTimes);
  const heraldMs = median(heraldTimes);
  return { feeds, concurrency, rounds, bareMs: Math.round(bareMs), heraldMs: Math.round(heraldMs), ratio: Number((bareMs / heraldMs).toFixed(3)) };
}
