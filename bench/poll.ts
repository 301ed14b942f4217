// `npm run bench`: polling as a user runs it. Herald is started exactly as `npm start` starts
// it (the start script is read from package.json), on a SQLite store, discord.js connected to
// the fake Discord, N feeds on 20 loopback hosts (127.0.0.11–.30) answering 304. Everything is
// measured from outside (bench/poll/scenario.ts): per-feed polls and intervals at the feed
// hosts, Herald's CPU and peak RSS from /proc, and CPU per 1,000 polls next to a bare undici
// loop sending the same conditional GETs at the same rate in the same run.
//   npm run bench                      2,000 feeds at a 20 s interval (about 2 minutes)
//   npm run bench -- --all             also 10,000 feeds at 20 s
//   npm run bench -- --scale           also 100,000 feeds at 200 s: the same 500 polls/s as
//                                      10,000 at 20 s, so cost per poll compares directly
//   npm run bench -- --feeds=N --interval-s=S [--warm-s=W --measure-s=M]   one scenario
//   BENCH_START="npm run build && node dist/src/main.js"   start Herald that way instead of the
//                                      start script (to compare; the default follows package.json)
//   BENCH_CPU_PROF=dir                 Herald runs with --cpu-prof into dir (read it with
//                                      `node --import tsx bench/lib/profile.ts dir/*.cpuprofile`)
// Results: bench/results-poll.json, the latest run of each size and start command.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startCommand } from './lib/herald-process.js';
import { runScenario, type ScenarioOptions } from './poll/scenario.js';

interface Goal {
  rate?: number;
  cpuRatio?: number;
  rssMb?: number;
}

const args = process.argv.slice(2);
const num = (name: string, dflt: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const scenario = (feeds: number, intervalS: number, measureS = 40): ScenarioOptions => ({ feeds, intervalS, warmS: num('warm-s', intervalS + 5), measureS: num('measure-s', measureS) });
const scenarios: { o: ScenarioOptions; goal: Goal }[] = [];
if (args.some((a) => a.startsWith('--feeds='))) scenarios.push({ o: scenario(num('feeds', 2000), num('interval-s', 20)), goal: { rate: 0.95, cpuRatio: 5 } });
else {
  scenarios.push({ o: scenario(2000, 20), goal: { rate: 0.95, cpuRatio: 5, rssMb: 250 } });
  if (args.includes('--all') || args.includes('--scale')) scenarios.push({ o: scenario(10_000, 20), goal: { rate: 0.95, cpuRatio: 5, rssMb: 400 } });
  if (args.includes('--scale')) scenarios.push({ o: scenario(100_000, 200, 60), goal: { rate: 0.95, cpuRatio: 5 } });
}
const profileDir = process.env.BENCH_CPU_PROF;

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const out: Record<string, unknown>[] = [];
const load = loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  console.log(`Herald poll benchmark, node ${process.version}, ${cpus().length} CPUs, load ${load}; Herald started as: ${startCommand().script}\n`);
  let failed = false;
  for (const s of scenarios) {
    const r = await runScenario({ ...s.o, ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}) });
    const g = s.goal;
    const rateOk = r.perFeedRateMin >= (g.rate ?? 0) && r.pollShare >= (g.rate ?? 0);
    const checks = [
      g.rate !== undefined ? `rate ${verdict(rateOk)}` : '',
      g.cpuRatio !== undefined ? `CPU ${verdict(r.cpuRatio <= g.cpuRatio)}` : '',
      g.rssMb !== undefined ? `RSS ${verdict(r.peakRssMb <= g.rssMb)}` : '',
    ].filter(Boolean);
    failed ||= checks.some((c) => c.endsWith('FAIL'));
    console.log(
      `${r.feeds} feeds @ ${r.intervalS} s (seeded in ${r.setupS} s, started in ${r.startS} s, warm-up ${r.warmS} s, window ${r.measureS} s):\n` +
        `  polls        ${r.polls} of ${r.expectedPolls} expected = ${pct(r.pollShare)}; per feed: min ${pct(r.perFeedRateMin)}, 1st percentile ${pct(r.perFeedRateP1)}, mean ${pct(r.perFeedRateMean)} of the expected rate; ${r.feedsBelow95} feeds below 95 %; ${r.pollsPerFeedMin}–${r.pollsPerFeedMax} polls per feed (${r.answered})\n` +
        `  CPU          ${r.cpuMsPer1000Polls} ms / 1,000 polls vs bare undici ${r.bareCpuMsPer1000} ms at the same rate (${r.bareRequests} requests) → ×${r.cpuRatio}; as fast as it goes ${r.bareSaturatedCpuMsPer1000} ms → ×${r.cpuRatioToSaturated}\n` +
        `  peak RSS     ${r.peakRssMb} MB (${r.rssAtStartMb} MB when started)\n` +
        (checks.length ? `  goals        ${checks.join(', ')}  (rate ≥ ${pct(g.rate ?? 0)} for every feed, CPU ≤ ×${g.cpuRatio}${g.rssMb ? `, RSS ≤ ${g.rssMb} MB` : ''})\n` : ''),
    );
    out.push({ ...r, goal: g });
  }
  // One file keeps the latest run of each size and start command, so a run of one size (or
  // with BENCH_START) does not erase the others.
  const file = fileURLToPath(new URL('./results-poll.json', import.meta.url));
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runs?: Record<string, unknown> }) : {};
  const runs = { ...(previous.runs ?? {}) };
  const conditions = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAtStart: load, loadAtEnd: loadavg().map((l) => l.toFixed(2)).join(' '), start: startCommand().script };
  for (const r of out) runs[`${r.feeds} feeds @ ${r.intervalS} s, ${conditions.start}`] = { ...conditions, ...r };
  writeFileSync(file, `${JSON.stringify({ runs }, null, 2)}\n`);
  console.log('results written to bench/results-poll.json');
  process.exitCode = failed ? 1 : 0;
}

// Bounded: the whole run may not outlast its scenarios by much.
const limitS = scenarios.reduce((n, s) => n + s.o.warmS + s.o.measureS + 240, 0);
setTimeout(() => {
  console.error(`bench: still running after ${limitS} s; giving up`);
  process.exit(2);
}, limitS * 1000).unref();

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
