// `npm run bench:cluster`: what one poll costs in a cluster process next to a single Herald,
// in the same run. Both are started as `npm start` starts Herald (bench/lib/herald-process.ts),
// with the same FEEDS feeds on the 20 loopback feed hosts of `npm run bench` (read once before,
// so each poll is a conditional GET answered 304), discord.js connected to the fake Discord:
//   single   DATABASE_URL=sqlite://… (one process, the lease)
//   cluster  DATABASE_URL=redis://… on a private redis-server (a free port, never 6379),
//            HERALD_CLUSTER=true, one process (or --processes=1,2,3: one run per count)
// After a warm-up, over a window: polls counted at the feed hosts, CPU of every Herald process
// (and, apart, of redis-server) from /proc; printed as ms per 1,000 polls and cluster/single.
//   npm run bench:cluster [-- --feeds=1500 --interval=10 --window=20 --processes=1]
//   npm run bench:cluster -- --profile   also a CPU profile of each Herald over the window
//                                        (through the inspector), summarised by module
// Results: bench/results-cluster.json (profiled: results-cluster-profiled.json; the profiles
// themselves in bench/profiles/, not committed).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { FakeDiscord } from '../test/fakes/discord/index.js';
import { startCommand, startHerald, type Herald } from './lib/herald-process.js';
import { startProfile, type WindowProfiler } from './lib/inspector.js';
import { cpuMs, killOnExit } from './lib/proc.js';
import { printSummary } from './lib/profile.js';
import { startRedis, type PrivateRedis } from './lib/redis-server.js';
import { HOSTS } from './poll/feeds.js';
import { startHosts, type Hosts } from './poll/hosts.js';
import { CHANNELS, GUILD, seed } from './poll/scenario.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const FEEDS = arg('feeds', 1500);
const INTERVAL_S = arg('interval', 10);
const WINDOW_S = arg('window', 20);
const WARM_S = arg('warm', INTERVAL_S + 5);
const PROCESSES = (args.find((a) => a.startsWith('--processes='))?.split('=')[1] ?? '1').split(',').map(Number);
const PROFILE = args.includes('--profile');
const PROFILES = fileURLToPath(new URL('./profiles/', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  kind: 'single' | 'cluster';
  processes: number;
  pollsPerS: number;
  demandPerS: number;
  pollShare: number;
  cpuMsPer1000Polls: number;
  redisCpuMsPer1000Polls?: number;
  /** Redis commands per poll over the window (INFO commandstats), the most called first. */
  redisCommandsPerPoll?: Record<string, number>;
  /** From a 3 s MONITOR sample after the window: commands per poll by who sends them (key prefix). */
  redisCommandsByOwner?: Record<string, number>;
  redisTopCommandsByKey?: Record<string, number>;
  profiles?: string[];
}

/** A key's shape: ids (anything with a digit) become #, at most 5 segments. */
const shape = (key: string) => key.split(':').slice(0, 5).map((x) => (/\d/.test(x) ? '#' : x)).join(':');
const owner = (key: string) => (key.includes(':bull:') ? 'BullMQ' : key.includes('::') ? 'store (keyv)' : key ? 'cluster limits, locks, bus' : '(no key)');

/**
 * `redis-cli monitor` for `ms` (ioredis's own monitor mode chokes on commands run by Lua
 * scripts). A command a client sent is marked (sent): commands of one MULTI or pipeline share a write,
 * so this counts commands, not round trips. One with source "lua" ran inside a script.
 */
async function monitorSample(url: string, ms: number) {
  const { port } = new URL(url);
  const child = killOnExit(spawn('redis-cli', ['-h', '127.0.0.1', '-p', port, 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] }));
  const byKey = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let partial = '';
  child.stdout.on('data', (b: Buffer) => {
    const lines = (partial + b.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^[\d.]+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
      if (!m) continue;
      const args = [...m[2]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]!);
      const cmd = (args[0] ?? '').toLowerCase();
      const key = (cmd === 'evalsha' || cmd === 'eval' ? args[3] : args[1]) ?? '';
      const via = m[1] === 'lua' ? ' (in a script)' : '';
      add(byKey, `${cmd} ${shape(key)}${via}`);
      add(byOwner, `${owner(key)}${via || ' (sent)'}`);
    }
  });
  await sleep(ms);
  child.kill('SIGTERM');
  return { ms, byKey, byOwner };
}

function perPoll(sample: { byKey: Map<string, number>; byOwner: Map<string, number> }, polls: number) {
  const rows = (m: Map<string, number>, n: number) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, Number((v / polls).toFixed(2))]));
  return { redisCommandsByOwner: rows(sample.byOwner, 12), redisTopCommandsByKey: rows(sample.byKey, 40) };
}

async function run(kind: 'single' | 'cluster', n: number, hosts: Hosts): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  const discord = await new FakeDiscord([{ id: GUILD, channels: CHANNELS }]).start();
  let redis: PrivateRedis | undefined;
  const procs: Herald[] = [];
  try {
    redis = kind === 'cluster' ? await startRedis() : undefined;
    const url = redis ? `${redis.url}/0` : `sqlite://${join(dir, 'herald.sqlite')}`;
    await seed(url, hosts, { feeds: FEEDS, intervalS: INTERVAL_S });
    const env = {
      DISCORD_TOKEN: 'bench-token',
      DISCORD_API_URL: discord.apiUrl,
      DATABASE_URL: url,
      ...(redis ? { HERALD_CLUSTER: 'true' } : {}),
      PORT: '0',
      HOST: '127.0.0.1',
      POLL_INTERVAL: `${INTERVAL_S}s`,
      ALLOWED_PRIVATE_NETWORKS: HOSTS.map((h) => `${h}/32`).join(','),
      LOG_LEVEL: 'info',
    };
    const nodeArgs = PROFILE ? ['--inspect=127.0.0.1:0'] : [];
    for (let i = 0; i < n; i++) procs.push(await startHerald(env, { nodeArgs, timeoutMs: 120_000 }));
    await sleep(WARM_S * 1000); // every feed polled at least once; caches, connections and JIT warm
    const profilers: WindowProfiler[] = PROFILE ? await Promise.all(procs.map((p) => startProfile(p.head()))) : [];
    const admin = redis ? new Redis(`${redis.url}/0`, { maxRetriesPerRequest: 2 }) : undefined;
    await admin?.config('RESETSTAT');
    await hosts.mark();
    const c0 = procs.map((p) => cpuMs(p.pid()));
    const r0 = redis ? cpuMs(redis.pid) : 0;
    const t0 = performance.now();
    await sleep(WINDOW_S * 1000);
    const stats = await hosts.stats();
    const cpu = procs.reduce((s, p, i) => s + cpuMs(p.pid()) - c0[i]!, 0);
    const redisCpu = redis ? cpuMs(redis.pid) - r0 : 0;
    const seconds = (performance.now() - t0) / 1000;
    const commandStats = admin ? await admin.info('commandstats') : '';
    // After the CPU window (MONITOR costs Redis time): which keys the commands touch.
    const sample = redis ? await monitorSample(redis.url, 3000) : undefined;
    admin?.disconnect();
    const profiles: string[] = [];
    for (const [i, p] of profilers.entries()) {
      mkdirSync(PROFILES, { recursive: true });
      const file = join(PROFILES, `${kind}-${n}p-${i + 1}.cpuprofile`);
      await p.stop(file);
      profiles.push(file);
    }
    for (const p of procs) if (p.child.exitCode !== null) throw new Error(`a Herald process exited during the window:\n${p.tail()}`);
    const polls = stats.counts.reduce((a, b) => a + b, 0);
    const commands = [...commandStats.matchAll(/^cmdstat_(\S+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2]) / polls] as const).sort((a, b) => b[1] - a[1]);
    const r: Run = {
      kind,
      processes: n,
      pollsPerS: Number((polls / seconds).toFixed(1)),
      demandPerS: Number((FEEDS / INTERVAL_S).toFixed(1)),
      pollShare: Number(((polls * INTERVAL_S) / (FEEDS * seconds)).toFixed(3)),
      cpuMsPer1000Polls: Math.round((cpu / polls) * 1000),
      ...(redis ? { redisCpuMsPer1000Polls: Math.round((redisCpu / polls) * 1000) } : {}),
      ...(redis ? { redisCommandsPerPoll: Object.fromEntries([['(all)', Number(commands.reduce((n, c) => n + c[1], 0).toFixed(2))], ...commands.slice(0, 25).map(([c, n]) => [c, Number(n.toFixed(2))])]) } : {}),
      ...(sample ? perPoll(sample, (polls / seconds) * (sample.ms / 1000)) : {}),
      ...(profiles.length ? { profiles } : {}),
    };
    console.log(
      `${kind === 'single' ? 'single (SQLite)' : `cluster (Redis), ${n} process${n > 1 ? 'es' : ''}`}: ${r.pollsPerS} polls/s (asked ${r.demandPerS}), ` +
        `Herald CPU ${r.cpuMsPer1000Polls} ms / 1,000 polls${redis ? `, redis-server ${r.redisCpuMsPer1000Polls} ms / 1,000 polls` : ''}`,
    );
    if (r.redisCommandsPerPoll) console.log(`  Redis commands per poll: ${Object.entries(r.redisCommandsPerPoll).map(([c, n]) => `${c} ${n}`).join(', ')}`);
    if (r.redisCommandsByOwner) console.log(`  by owner (MONITOR sample): ${Object.entries(r.redisCommandsByOwner).map(([c, n]) => `${c} ${n}`).join(', ')}`);
    if (r.redisTopCommandsByKey) console.log(`  top command × key: ${Object.entries(r.redisTopCommandsByKey).map(([c, n]) => `${c} ${n}`).join(', ')}`);
    return r;
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await discord.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Herald cluster benchmark, node ${process.version}, ${cpus().length} CPUs, load ${load}; ${FEEDS} feeds every ${INTERVAL_S} s, window ${WINDOW_S} s; Herald started as: ${startCommand().script}\n`);
  const hosts = await startHosts(FEEDS);
  const results: Run[] = [];
  try {
    results.push(await run('single', 1, hosts));
    for (const n of PROCESSES) results.push(await run('cluster', n, hosts));
  } finally {
    hosts.stop();
  }
  const single = results[0]!;
  const one = results.find((r) => r.kind === 'cluster' && r.processes === 1);
  const ratio = one ? Number((one.cpuMsPer1000Polls / single.cpuMsPer1000Polls).toFixed(2)) : undefined;
  if (one) {
    const withRedis = Number(((one.cpuMsPer1000Polls + one.redisCpuMsPer1000Polls!) / single.cpuMsPer1000Polls).toFixed(2));
    console.log(`\none cluster process / single process, CPU per poll: ×${ratio} (goal ≤ ×1.5: ${ratio! <= 1.5 ? 'PASS' : 'FAIL'}); with redis-server's own CPU: ×${withRedis}`);
  }
  for (const r of results) for (const f of r.profiles ?? []) printSummary(`${r.kind}, ${r.processes} process(es)`, f, 20);
  // A profiled run (the profiler costs CPU too) keeps its own file.
  const name = PROFILE ? 'results-cluster-profiled.json' : 'results-cluster.json';
  writeFileSync(
    fileURLToPath(new URL(`./${name}`, import.meta.url)),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAtStart: load, loadAtEnd: loadavg().map((l) => l.toFixed(2)).join(' '), start: startCommand().script, feeds: FEEDS, intervalS: INTERVAL_S, windowS: WINDOW_S, profiled: PROFILE, clusterOverSingle: ratio, results }, null, 2)}\n`,
  );
  console.log(`\nresults written to bench/${name}`);
}

// Bounded: start-up, warm-up and window per run, with room for shutdowns.
const limitS = (PROCESSES.length + 1) * (WARM_S + WINDOW_S + 120) + 60;
setTimeout(() => {
  console.error(`bench:cluster still running after ${limitS} s; giving up`);
  process.exit(2);
}, limitS * 1000).unref();

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
