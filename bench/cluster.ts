// `npm run bench:cluster [-- --feeds=1500 --interval=10]`: 1, 2 and 3 `npm start` processes
// with HERALD_CLUSTER=true on Redis db 13 (flushed before each run and at the end; never
// FLUSHALL), FEEDS feeds on 127.0.0.1 subscribed in 60 channels of one fake Discord. Measures
// polls/s over a window (each process's herald_polls_total summed), CPU per 1,000 polls (the
// processes' utime+stime from /proc), then a burst of one new item in 300 feeds: deliveries/s
// from the first post to the last at the fake Discord. Results: bench/results-cluster.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { createStore } from '../src/store/index.js';
import { FakeDiscord } from '../test/fakes/discord/index.js';
import { FeedServer } from '../test/fakes/feed-server.js';
import { waitFor } from '../test/fakes/http-util.js';
import { items } from '../test/e2e/fixture.js';
import { isStartLine, spawnHerald, type HeraldProcess } from '../test/e2e/subprocess.js';

const DB = 13;
const URL_ = `redis://127.0.0.1:6379/${DB}`;
const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const FEEDS = arg('feeds', 1500);
const INTERVAL_S = arg('interval', 10);
const WINDOW_S = arg('window', 20);
const BURST = Math.min(300, FEEDS);
const CHANNELS = 60;
const GUILD = '200000000000000001';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ticks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100/s on Linux)
};

// 20 loopback hosts (127.0.0.11–.30, allowlisted for the bench only), as in bench/poll.ts:
// FETCH_PER_HOST holds cluster-wide, so one host would measure the host limit, not Herald.
const HOSTS = Array.from({ length: 20 }, (_, i) => `127.0.0.${11 + i}`);

async function seed(servers: FeedServer[]) {
  const feeds = Array.from({ length: FEEDS }, (_, i) => servers[i % servers.length]!.feed(`/f${i}.xml`, `Feed ${i}`, items(1, 1)));
  const store = await createStore(URL_, 'herald');
  const now = Date.now();
  for (const [i, f] of feeds.entries()) {
    const rec = await store.feeds.ensure(f.url, now);
    // Not initialised: the first poll records Item 1 without posting it, as after /subscribe.
    await store.feeds.update({ ...rec, nextCheckAt: now + Math.floor(Math.random() * INTERVAL_S * 1000) });
    const channelId = String(300_000_000_000_000_000n + BigInt(i % CHANNELS));
    await store.subscriptions.add({ platform: 'discord', workspaceId: GUILD, channelId, feedId: rec.id, feedUrl: f.url, createdBy: 'bench', createdAt: now + i, paused: false, state: 'active' });
  }
  await store.close();
  return feeds;
}

async function polls(port: number) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('herald_polls_total{')).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function run(n: number, redis: Redis) {
  await redis.flushdb();
  const channels = Array.from({ length: CHANNELS }, (_, i) => String(300_000_000_000_000_000n + BigInt(i)));
  const discord = await new FakeDiscord([{ id: GUILD, channels }]).start();
  const servers = await Promise.all(HOSTS.map((h) => new FeedServer(h).start()));
  const procs: HeraldProcess[] = [];
  try {
    const feeds = await seed(servers);
    const env = { DISCORD_TOKEN: 'bench-token', DISCORD_API_URL: discord.apiUrl, DATABASE_URL: URL_, HERALD_CLUSTER: 'true', PORT: '0', HOST: '127.0.0.1', POLL_INTERVAL: `${INTERVAL_S}s`, ALLOWED_PRIVATE_NETWORKS: '127.0.0.0/24', LOG_LEVEL: 'info' };
    for (let i = 0; i < n; i++) procs.push(spawnHerald(env));
    const ports = await Promise.all(procs.map(async (p) => Number((await p.waitForLog(isStartLine, 60_000)).port)));
    await sleep(INTERVAL_S * 1000); // warm-up: every feed polled once, caches and connections warm
    const p0 = await Promise.all(ports.map(polls));
    const c0 = procs.map((p) => ticks(p.child.pid!));
    const t0 = Date.now();
    await sleep(WINDOW_S * 1000);
    const seconds = (Date.now() - t0) / 1000;
    const done = (await Promise.all(ports.map(polls))).map((x, i) => x - p0[i]!);
    const cpuMs = procs.reduce((s, p, i) => s + (ticks(p.child.pid!) - c0[i]!) * 10, 0);
    const total = done.reduce((a, b) => a + b, 0);

    for (const f of feeds.slice(0, BURST)) f.set(items(1, 2));
    await waitFor(() => (discord.messages.length >= BURST ? true : undefined), (INTERVAL_S + 60) * 1000, 'the burst');
    const at = discord.messages.map((m) => m.at);
    const posted = discord.messages.length;
    const r = {
      processes: n,
      feeds: FEEDS,
      intervalS: INTERVAL_S,
      pollsPerS: +(total / seconds).toFixed(1),
      demandPerS: +(FEEDS / INTERVAL_S).toFixed(1),
      pollShare: done.map((d) => +(d / total).toFixed(2)),
      cpuMsPer1000Polls: Math.round((cpuMs / total) * 1000),
      deliveries: posted,
      deliveriesPerS: +((posted - 1) / ((Math.max(...at) - Math.min(...at)) / 1000)).toFixed(1),
    };
    console.log(JSON.stringify(r));
    return r;
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await discord.stop();
    await Promise.all(servers.map((f) => f.stop()));
  }
}

async function main() {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, db: DB });
  const results = [];
  try {
    for (const n of [1, 2, 3]) results.push(await run(n, redis));
  } finally {
    await redis.flushdb();
    redis.disconnect();
  }
  writeFileSync('bench/results-cluster.json', `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
