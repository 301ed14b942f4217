// One scheduler benchmark scenario, in a process of its own so its peak RSS is its own:
// N feeds on the 20 loopback hosts in a real SQLite store, Herald's real poller and fetcher,
// every poll a conditional GET answered 304. After a warm-up, one measuring window counts
// the due polls started on time (≤ 1 s late), the worst lag and CPU per 1,000 polls; then a
// bare undici loop sends as many of the same conditional GETs, for the CPU ratio.
// Prints one JSON line. Usage: scenario.ts --feeds=N --interval-s=S --warm-s=W --measure-s=M
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFetcher } from '../../src/core/fetch/index.js';
import { parseNetworkList } from '../../src/core/fetch/networks.js';
import { createCore } from '../../src/core/herald.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createStore } from '../../src/store/index.js';
import { USER_AGENT } from '../../src/version.js';
import { bareLoop } from './bare.js';
import { etagFor, HOSTS } from './feeds.js';
import { startHosts } from './hosts.js';

const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const FEEDS = arg('feeds', 2000);
const INTERVAL_MS = arg('interval-s', 20) * 1000;
const WARM_MS = arg('warm-s', INTERVAL_MS / 1000) * 1000;
const MEASURE_MS = arg('measure-s', (2 * INTERVAL_MS) / 1000) * 1000;
const ON_TIME_MS = 1000;
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** BENCH_PROFILE=file.cpuprofile: a CPU profile of the measuring window only. */
async function startProfile(): Promise<(() => Promise<void>) | undefined> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return undefined;
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function main() {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const hosts = await startHosts();
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  const store = await createStore(`sqlite://${join(dir, 'bench.sqlite')}`, 'bench');
  const url = (i: number) => `http://${HOSTS[i % HOSTS.length]}:${hosts.port}/f/${i}`;
  try {
    const setupStart = performance.now();
    for (let start = 0; start < FEEDS; start += 500) {
      const batch = Array.from({ length: Math.min(500, FEEDS - start) }, (_, k) => start + k);
      await Promise.all(
        batch.map(async (i) => {
          const feed = await store.feeds.ensure(url(i), 0);
          await store.feeds.update({ ...feed, initialized: true, etag: etagFor(i, 1), title: `Synthetic feed ${i}`, nextCheckAt: 0 });
          await store.subscriptions.add({ platform: 'discord', workspaceId: 'w1', channelId: `c${i % 500}`, feedId: feed.id, feedUrl: url(i), createdBy: 'bench', createdAt: 0, paused: false, state: 'active' });
          await store.seen.record(feed.id, [], Array.from({ length: 50 }, (_, n) => `g:blog-${i}-${1005 - n}`));
        }),
      );
    }
    const setupS = (performance.now() - setupStart) / 1000;
    const rssAfterSetup = process.memoryUsage().rss;

    // The bench alone allowlists its 20 loopback hosts; Herald's default refuses them.
    const fetcher = createFetcher({ maxBytes: 10_000_000, userAgent: USER_AGENT, allowedNetworks: parseNetworkList(HOSTS.join(',')), perHost: 2, concurrency: 32 });
    const metrics = createMetrics(false);
    let window = false;
    let polls = 0;
    let onTime = 0;
    let worstLagMs = 0;
    const observe = metrics.pollLag.observe.bind(metrics.pollLag);
    metrics.pollLag.observe = ((v: number) => {
      if (window) {
        polls++;
        if (v * 1000 <= ON_TIME_MS) onTime++;
        worstLagMs = Math.max(worstLagMs, v * 1000);
      }
      observe(v);
    }) as typeof metrics.pollLag.observe;
    const core = createCore({
      store,
      fetcher,
      logger: createLogger('silent'),
      metrics,
      settings: { pollIntervalMs: INTERVAL_MS, maxFailures: 10, maxItemsPerPoll: 10, deliveryMaxAgeMs: 86_400_000, fetchConcurrency: 32, fetchPerHost: 2 },
    });
    await core.scheduler.start();
    await sleep(WARM_MS);
    const profile = await startProfile();
    const cpu0 = cpuMs();
    window = true;
    await sleep(MEASURE_MS);
    window = false;
    const heraldCpu = cpuMs() - cpu0;
    await profile?.();
    const status = await core.scheduler.status();
    const late = { count: status.overdue, maxLagMs: status.maxLagMs };
    const results = (await metrics.polls.get()).values.map((v) => `${v.labels.result}:${v.value}`).join(' ');
    await core.scheduler.stop();
    await fetcher.close();

    const bareRequests = Math.min(polls, 20_000);
    const bare = await bareLoop(hosts.port, bareRequests);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const heraldPer1000 = (heraldCpu / polls) * 1000;
    const due = polls + late.count;
    console.log(
      JSON.stringify({
        feeds: FEEDS,
        intervalS: INTERVAL_MS / 1000,
        measureS: MEASURE_MS / 1000,
        setupS: Number(setupS.toFixed(1)),
        polls,
        expectedPolls: Math.round((FEEDS * MEASURE_MS) / (INTERVAL_MS * 1.05)),
        overdueAtEnd: late.count,
        onTimeShare: Number((onTime / Math.max(1, due)).toFixed(4)),
        worstLagS: Number((Math.max(worstLagMs, late.maxLagMs) / 1000).toFixed(2)),
        cpuMsPer1000Polls: Math.round(heraldPer1000),
        bareCpuMsPer1000: Math.round(bare.cpuMsPer1000),
        cpuRatio: Number((heraldPer1000 / bare.cpuMsPer1000).toFixed(2)),
        rssAfterSetupMb: Math.round(rssAfterSetup / MB),
        peakRssMb: Math.round(peak / MB),
        results,
      }),
    );
  } finally {
    await store.close();
    hosts.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
