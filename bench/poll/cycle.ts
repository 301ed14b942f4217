// (a) One poll cycle of N unchanged feeds (every answer a 304): Herald's fetcher against a
// bare undici loop making the same requests, same concurrency, same run, interleaved rounds.
import { Agent } from 'undici';
import { createFetcher } from '../../src/core/fetch/index.js';
import { parseNetworkList } from '../../src/core/fetch/networks.js';
import { ACCEPT } from '../../src/core/fetch/undici-fetcher.js';
import { USER_AGENT } from '../../src/version.js';
import { etagFor } from './feeds.js';

export interface CycleResult {
  feeds: number;
  concurrency: number;
  rounds: number;
  /** Mean time for one full cycle, per client. */
  bareMs: number;
  heraldMs: number;
  /** bare time / Herald time: 1 means no overhead; the goal is ≥ 0.5. */
  ratio: number;
}

/** Runs one(i) for i in [from, to) with `concurrency` workers; returns the elapsed ms. */
async function drive(from: number, to: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = from;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < to) await one(next++);
    }),
  );
  return performance.now() - started;
}

/** Requests per block; the two clients alternate block by block (see benchCycle). */
const BLOCK = 500;
export async function benchCycle(origin: string, feeds: number, concurrency: number, rounds: number): Promise<CycleResult> {
  const bareAgent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  // The same request bytes as Herald sends, so only client-side overhead differs.
  const sameHeaders = { accept: ACCEPT, 'user-agent': USER_AGENT, 'accept-encoding': 'gzip, deflate, br' };
  const bare = async (i: number) => {
    const res = await bareAgent.request({ origin, path: `/f/${i}`, method: 'GET', headers: { ...sameHeaders, 'if-none-match': etagFor(i, 1) } });
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
  // Warm both: connections, JIT.
  await drive(0, Math.min(feeds, 1000), concurrency, bare);
  await drive(0, Math.min(feeds, 1000), concurrency, herald);
  // Other processes on a shared 2-core machine make run-to-run noise larger than the effect
  // measured, so the clients alternate in blocks of 500 requests (swapping who goes first)
  // and each side's time for a cycle is the sum of its blocks over all 10,000 feeds.
  let bareMs = 0;
  let heraldMs = 0;
  for (let r = 0; r < rounds; r++) {
    for (let from = 0, k = 0; from < feeds; from += BLOCK, k++) {
      const to = Math.min(feeds, from + BLOCK);
      if (k % 2) heraldMs += await drive(from, to, concurrency, herald);
      bareMs += await drive(from, to, concurrency, bare);
      if (!(k % 2)) heraldMs += await drive(from, to, concurrency, herald);
    }
  }
  await bareAgent.close();
  await fetcher.close();
  // Per full cycle of `feeds` requests, averaged over the rounds.
  return { feeds, concurrency, rounds, bareMs: Math.round(bareMs / rounds), heraldMs: Math.round(heraldMs / rounds), ratio: Number((bareMs / heraldMs).toFixed(3)) };
}
