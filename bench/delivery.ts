// `npm run bench:delivery`: a burst of 1,000 items into 100 channels at the platforms' limits.
// Prints elapsed time over the theoretical minimum and the share of 429 answers.
//   npm run bench:delivery                   in this process: Herald's senders and delivery
//                                            queue on a SQLite store opened as Herald opens it
//   npm run bench:delivery -- --cluster      real processes started as `npm start` starts them,
//                                            HERALD_CLUSTER=true on a private redis-server:
//                                            one process, then three (--cluster=1,2,3 to choose)
//   --slack-interval-ms=N                    (in-process only) override Slack's pacing interval
// Results: bench/results-delivery.json (one entry per mode, the latest run of each kept).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchClusterDelivery } from './lib/cluster-delivery.js';
import { benchDiscord } from './lib/discord.js';
import { startCommand } from './lib/herald-process.js';
import { report, type BenchResult } from './lib/setup.js';
import { benchSlack } from './lib/slack.js';

const FILE = fileURLToPath(new URL('./results-delivery.json', import.meta.url));

async function main() {
  const started = Date.now();
  const args = process.argv.slice(2);
  const interval = Number(args.find((a) => a.startsWith('--slack-interval-ms='))?.split('=')[1]);
  const clusterArg = args.find((a) => a === '--cluster' || a.startsWith('--cluster='));
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Herald delivery benchmark, node ${process.version}, ${cpus().length} CPUs, load ${load}${clusterArg ? `; Herald started as: ${startCommand().script}` : ''}`);
  const results: BenchResult[] = [];
  const add = (r: BenchResult) => (report(r), results.push(r));
  if (clusterArg) {
    const counts = (clusterArg.split('=')[1] ?? '1,3').split(',').map(Number);
    for (const processes of counts) {
      add(await benchClusterDelivery({ platform: 'discord', processes, channels: 100, perChannel: 10 }));
      add(await benchClusterDelivery({ platform: 'slack', processes, channels: 100, perChannel: 10 }));
    }
  } else {
    add(await benchDiscord({ channels: 100, perChannel: 10 }));
    add(await benchSlack({ channels: 100, perChannel: 10, ...(interval > 0 ? { pacerIntervalMs: interval } : {}) }));
  }
  const missed = results.filter((r) => r.elapsedMs / r.minimumMs > 1.2 || r.rateLimited > r.requests / 100);
  const all = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>) : {};
  all[clusterArg ? 'cluster' : 'single'] = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAtStart: load,
    loadAtEnd: loadavg().map((l) => l.toFixed(2)).join(' '),
    ...(clusterArg ? { start: startCommand().script } : {}),
    results: results.map((r) => ({ ...r, elapsedMs: Math.round(r.elapsedMs), ratio: Number((r.elapsedMs / r.minimumMs).toFixed(3)), rateLimitedShare: Number((r.rateLimited / Math.max(1, r.requests)).toFixed(4)) })),
  };
  writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s; results written to bench/results-delivery.json${missed.length ? `; goals MISSED by: ${missed.map((r) => r.name).join(', ')}` : ''}`);
  process.exitCode = missed.length ? 1 : 0;
}

// Bounded: each burst has its own timeout; this catches anything else that hangs.
setTimeout(() => {
  console.error('bench:delivery still running after 15 minutes; giving up');
  process.exit(2);
}, 900_000).unref();

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
