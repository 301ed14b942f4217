// `npm run bench`: the poll path at scale, against a local feed server in a child process.
//  (a) one poll cycle of 10,000 unchanged feeds (all 304) through Herald's fetcher, as a ratio
//      to a bare undici loop making the same requests (goal ≥ 0.5);
//  (b) parse + diff throughput on changed feeds, as a ratio to bare rss-parser (goal ≥ 0.8);
//  (c) peak RSS with 10,000 feeds subscribed in a sqlite store (goal ≤ 300 MB).
// Results are printed and written to bench/results-poll.json.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServer } from './poll/child-server.js';
import { benchCycle } from './poll/cycle.js';
import { RssSampler, subscribedStore } from './poll/memory.js';
import { benchParse } from './poll/parse.js';

const FEEDS = Number(process.env.BENCH_FEEDS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const MB = 1024 * 1024;

async function main() {
  const started = Date.now();
  const sampler = new RssSampler();
  const server = await startServer();
  try {
    console.log(`Herald poll benchmark: ${FEEDS} feeds, concurrency ${CONCURRENCY}, node ${process.version}, ${cpus().length} CPUs\n`);
    const subscribed = await subscribedStore(server.origin, FEEDS);
    const afterSetup = sampler.sample();
    console.log(`setup: ${subscribed.feeds} feeds subscribed in a sqlite store (${(subscribed.setupMs / 1000).toFixed(1)} s), RSS ${(afterSetup / MB).toFixed(0)} MB`);

    const cycle = await benchCycle(server.origin, FEEDS, CONCURRENCY, 3);
    console.log(`(a) poll cycle, ${cycle.feeds} unchanged feeds (304): bare undici ${cycle.bareMs} ms, Herald ${cycle.heraldMs} ms → ratio ${cycle.ratio} (goal ≥ 0.5) ${cycle.ratio >= 0.5 ? 'PASS' : 'FAIL'}`);

    const parse = await benchParse(server.origin, 20, 10);
    console.log(
      `(b) parse + diff, ${parse.feeds} changed feeds of ~${Math.round(parse.bytesPerFeed / 1024)} KB (${parse.newItemsPerFeed} new items each): bare rss-parser ${parse.bareFeedsPerSec} feeds/s, Herald ${parse.heraldFeedsPerSec} feeds/s → ratio ${parse.ratio} (goal ≥ 0.8) ${parse.ratio >= 0.8 ? 'PASS' : 'FAIL'}`,
    );

    sampler.stop();
    const peakMb = Math.round(sampler.peak / MB);
    console.log(`(c) peak RSS with ${subscribed.feeds} feeds subscribed: ${peakMb} MB (goal ≤ 300 MB) ${peakMb <= 300 ? 'PASS' : 'FAIL'}`);
    await subscribed.close();

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      totalSeconds: Math.round((Date.now() - started) / 100) / 10,
      pollCycle: { ...cycle, goal: 0.5, pass: cycle.ratio >= 0.5 },
      parseDiff: { ...parse, goal: 0.8, pass: parse.ratio >= 0.8 },
      memory: { feedsSubscribed: subscribed.feeds, rssAfterSetupMb: Math.round(afterSetup / MB), peakRssMb: peakMb, goalMb: 300, pass: peakMb <= 300 },
    };
    writeFileSync(fileURLToPath(new URL('./results-poll.json', import.meta.url)), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\ntotal ${results.totalSeconds} s; results written to bench/results-poll.json`);
  } finally {
    server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
