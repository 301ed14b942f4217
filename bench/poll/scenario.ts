// One poll benchmark scenario, measured from outside the process a user runs: N feeds on the
// 20 loopback feed hosts, seeded into a SQLite store (each feed already read once, so a poll
// is a conditional GET answered 304), then Herald started as `npm start` starts it, with
// discord.js connected to the fake Discord. After a warm-up, over one window, the feed hosts
// count each feed's polls and the intervals between them; /proc gives Herald's CPU time and
// peak RSS (VmHWM, its children included). Then a bare undici loop, a process of its own,
// sends the same conditional GETs at the rate Herald polled, for the CPU ratio.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore } from '../../src/store/index.js';
import { FakeDiscord } from '../../test/fakes/discord/index.js';
import { prepareStart, startHerald } from '../lib/herald-process.js';
import { cpuMs, killOnExit, peakRssMb } from '../lib/proc.js';
import { etagFor, HOSTS } from './feeds.js';
import { startHosts, type Hosts } from './hosts.js';

export interface ScenarioOptions {
  feeds: number;
  intervalS: number;
  warmS: number;
  measureS: number;
  /** Extra node flags for Herald (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

export const GUILD = '200000000000000001';
export const CHANNELS = Array.from({ length: 100 }, (_, i) => String(300_000_000_000_000_000n + BigInt(i)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** N feeds, each read once before (ETag and seen items stored), subscribed in the fake Discord's channels. */
export async function seed(url: string, hosts: Pick<Hosts, 'port'>, o: Pick<ScenarioOptions, 'feeds' | 'intervalS'>): Promise<void> {
  const store = await createStore(url, 'herald');
  const now = Date.now();
  const feedUrl = (i: number) => `http://${HOSTS[i % HOSTS.length]}:${hosts.port}/f/${i}`;
  for (let start = 0; start < o.feeds; start += 500) {
    const batch = Array.from({ length: Math.min(500, o.feeds - start) }, (_, k) => start + k);
    await Promise.all(
      batch.map(async (i) => {
        const feed = await store.feeds.ensure(feedUrl(i), now);
        // As in a store that has been running: read before, next checks spread over the interval.
        const nextCheckAt = now + Math.floor(Math.random() * o.intervalS * 1000);
        await store.feeds.update({ ...feed, initialized: true, etag: etagFor(i, 1), title: `Synthetic feed ${i}`, nextCheckAt });
        await store.subscriptions.add({ platform: 'discord', workspaceId: GUILD, channelId: CHANNELS[i % CHANNELS.length]!, feedId: feed.id, feedUrl: feedUrl(i), createdBy: 'bench', createdAt: now, paused: false, state: 'active' });
        await store.seen.record(feed.id, [], Array.from({ length: 50 }, (_, n) => `g:blog-${i}-${1005 - n}`));
      }),
    );
  }
  await store.close();
}

/** The bare loop's process; resolves with its CPU ms over `measureS` and its request count. */
function bare(port: number, o: { feeds: number; rate: number; warmS: number; measureS: number; saturated: number }) {
  const script = fileURLToPath(new URL('./bare.ts', import.meta.url));
  const args = [`--port=${port}`, `--feeds=${o.feeds}`, `--rate=${o.rate}`, `--warm-s=${o.warmS}`, `--measure-s=${o.measureS}`, `--saturated=${o.saturated}`];
  const child = killOnExit(spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] }));
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise<{ requests: number; cpuMs: number; saturated: number; saturatedCpuMs: number; failed: number }>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`bare loop exited ${code}`)))),
  );
}

export async function runScenario(o: ScenarioOptions) {
  const hosts = await startHosts(o.feeds);
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  const discord = await new FakeDiscord([{ id: GUILD, channels: CHANNELS }]).start();
  try {
    const setupStart = performance.now();
    await seed(`sqlite://${join(dir, 'herald.sqlite')}`, hosts, o);
    const setupS = (performance.now() - setupStart) / 1000;
    const env = {
      DISCORD_TOKEN: 'bench-token',
      DISCORD_API_URL: discord.apiUrl,
      DATABASE_URL: `sqlite://${join(dir, 'herald.sqlite')}`,
      PORT: '0',
      HOST: '127.0.0.1',
      POLL_INTERVAL: `${o.intervalS}s`,
      // The bench alone allowlists its 20 loopback hosts, one /32 each; Herald's default refuses them.
      ALLOWED_PRIVATE_NETWORKS: HOSTS.map((h) => `${h}/32`).join(','),
      LOG_LEVEL: 'info',
    };
    prepareStart(o.nodeArgs); // a build step of the start script stays out of the start time
    const startAt = performance.now();
    const herald = await startHerald(env, { ...(o.nodeArgs ? { nodeArgs: o.nodeArgs } : {}), timeoutMs: 120_000 });
    const startS = (performance.now() - startAt) / 1000;
    const rssAtStartMb = peakRssMb(herald.pid());
    let measured;
    try {
      await sleep(o.warmS * 1000);
      await hosts.mark();
      const c0 = cpuMs(herald.pid());
      const t0 = performance.now();
      await sleep(o.measureS * 1000);
      const stats = await hosts.stats();
      const cpu = cpuMs(herald.pid()) - c0;
      const seconds = (performance.now() - t0) / 1000;
      measured = { stats, cpu, seconds, peakRssMb: peakRssMb(herald.pid()) };
      if (herald.child.exitCode !== null) throw new Error(`Herald exited during the window:\n${herald.tail()}`);
    } finally {
      await herald.stop();
    }
    const { stats, cpu, seconds } = measured;
    const polls = stats.counts.reduce((a, b) => a + b, 0);
    const intervalMs = o.intervalS * 1000;
    // Per feed: polls per interval relative to one (interval / its mean measured interval).
    const rates = stats.meanIntervalMs.map((m) => (m > 0 ? intervalMs / m : 0));
    const sorted = [...rates].sort((a, b) => a - b);
    const rate = polls / seconds;
    const b = await bare(hosts.port, { feeds: o.feeds, rate, warmS: 5, measureS: Math.min(20, o.measureS), saturated: Math.min(20_000, polls) });
    const heraldPer1000 = (cpu / polls) * 1000;
    const barePer1000 = (b.cpuMs / b.requests) * 1000;
    return {
      feeds: o.feeds,
      intervalS: o.intervalS,
      warmS: o.warmS,
      measureS: Number(seconds.toFixed(1)),
      setupS: Number(setupS.toFixed(1)),
      startS: Number(startS.toFixed(1)),
      polls,
      expectedPolls: Math.round((o.feeds * seconds * 1000) / intervalMs),
      pollShare: Number(((polls * intervalMs) / (o.feeds * seconds * 1000)).toFixed(4)),
      perFeedRateMin: Number(sorted[0]!.toFixed(4)),
      perFeedRateP1: Number(sorted[Math.floor(sorted.length / 100)]!.toFixed(4)),
      perFeedRateMean: Number((rates.reduce((a, c) => a + c, 0) / rates.length).toFixed(4)),
      feedsBelow95: rates.filter((r) => r < 0.95).length,
      pollsPerFeedMin: stats.counts.reduce((a, c) => Math.min(a, c), Infinity),
      pollsPerFeedMax: stats.counts.reduce((a, c) => Math.max(a, c), 0),
      answered: `304:${stats.notModified} 200:${stats.full}`,
      cpuMsPer1000Polls: Math.round(heraldPer1000),
      bareCpuMsPer1000: Math.round(barePer1000),
      bareRequests: b.requests,
      bareFailed: b.failed,
      cpuRatio: Number((heraldPer1000 / barePer1000).toFixed(2)),
      // For reference: the same GETs as fast as undici sends them (its lowest cost per request).
      bareSaturatedCpuMsPer1000: Math.round((b.saturatedCpuMs / b.saturated) * 1000),
      cpuRatioToSaturated: Number((heraldPer1000 / ((b.saturatedCpuMs / b.saturated) * 1000)).toFixed(2)),
      rssAtStartMb,
      peakRssMb: measured.peakRssMb,
    };
  } finally {
    hosts.stop();
    await discord.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
