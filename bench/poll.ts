// `npm run bench`: the scheduler at scale, not the fetcher alone. Each scenario runs in its
// own process (bench/poll/scenario.ts) with Herald's real poller, SQLite store and fetcher,
// N feeds on 20 loopback hosts (127.0.0.11–.30) answering 304, and prints: the share of due
// polls started on time (≤ 1 s late), the worst lag, CPU per 1,000 polls next to a bare undici
// loop of the same conditional GETs in the same run, and peak RSS.
//   npm run bench                      2,000 and 10,000 feeds at a 20 s interval
//   npm run bench -- --scale           also 100,000 feeds at 200 s: the same 500 polls/s as
//                                      10,000 at 20 s, so cost per poll compares directly
//   npm run bench -- --feeds=N --interval-s=S [--warm-s=W --measure-s=M]   one scenario
// Results are written to bench/results-poll.json.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

interface Goal {
  onTime?: number;
  cpuRatio?: number;
  rssMb?: number;
}

const args = process.argv.slice(2);
const scenarios: { args: string[]; goal: Goal }[] = [];
if (args.some((a) => a.startsWith('--feeds='))) scenarios.push({ args: args.filter((a) => a !== '--scale'), goal: {} });
else {
  scenarios.push({ args: ['--feeds=2000', '--interval-s=20', '--warm-s=20', '--measure-s=40'], goal: { onTime: 0.95, cpuRatio: 5, rssMb: 250 } });
  scenarios.push({ args: ['--feeds=10000', '--interval-s=20', '--warm-s=20', '--measure-s=40'], goal: { onTime: 0.95, cpuRatio: 5, rssMb: 400 } });
  if (args.includes('--scale')) scenarios.push({ args: ['--feeds=100000', '--interval-s=200', '--warm-s=30', '--measure-s=60'], goal: { onTime: 0.95, cpuRatio: 5 } });
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const script = fileURLToPath(new URL('./poll/scenario.ts', import.meta.url));
const out: Record<string, unknown>[] = [];
console.log(`Herald scheduler benchmark, node ${process.version}, ${cpus().length} CPUs\n`);
for (const s of scenarios) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...s.args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) {
    console.error(`scenario ${s.args.join(' ')} failed (${run.status})`);
    process.exit(1);
  }
  const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, number | string>;
  const g = s.goal;
  const checks = [
    g.onTime !== undefined ? `on time ${verdict(Number(r.onTimeShare) >= g.onTime)}` : '',
    g.cpuRatio !== undefined ? `CPU ${verdict(Number(r.cpuRatio) <= g.cpuRatio)}` : '',
    g.rssMb !== undefined ? `RSS ${verdict(Number(r.peakRssMb) <= g.rssMb)}` : '',
  ].filter(Boolean);
  console.log(
    `${r.feeds} feeds @ ${r.intervalS} s (setup ${r.setupS} s, window ${r.measureS} s): ${r.polls} polls (expected ≈${r.expectedPolls}), ` +
      `on time ${(Number(r.onTimeShare) * 100).toFixed(1)} %, worst lag ${r.worstLagS} s, overdue at end ${r.overdueAtEnd}, ` +
      `CPU ${r.cpuMsPer1000Polls} ms / 1,000 polls vs bare ${r.bareCpuMsPer1000} ms → ×${r.cpuRatio}, peak RSS ${r.peakRssMb} MB` +
      (checks.length ? `  [${checks.join(', ')}]` : ''),
  );
  out.push({ ...r, goal: g });
}
writeFileSync(fileURLToPath(new URL('./results-poll.json', import.meta.url)), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, scenarios: out }, null, 2)}\n`);
console.log('\nresults written to bench/results-poll.json');
