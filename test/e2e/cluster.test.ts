// Issue 14, "Done when": three `npm start` processes with HERALD_CLUSTER=true on one private
// Redis against one fake Discord with 3 gateway shards, 24 feeds in
// 24 channels. Commands answered once, items posted once, polls spread over the processes
// and about once per interval, and a SIGKILL during a burst loses nothing.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import type { FakeGuild } from '../fakes/discord/gateway.js';
import { FeedServer } from '../fakes/feed-server.js';
import { waitFor } from '../fakes/http-util.js';
import { describeRedis, freshDb, redisUrl } from '../cluster/redis-db.js';
import { items } from './fixture.js';
import { sleep } from './harness.js';
import { alive, isStartLine, spawnHerald, tearDownCluster, type HeraldProcess } from './subprocess.js';

const INTERVAL_S = 4;
const FEEDS = 24;
// Guild k lands on shard k % 3 (see shard-guilds.ts); 8 channels each.
const guilds: FakeGuild[] = Array.from({ length: 3 }, (_, k) => ({
  id: String((960_000n + BigInt(k)) << 22n),
  channels: Array.from({ length: FEEDS / 3 }, (_, j) => String(300_000_000_000_001_000n + BigInt(k * 100 + j))),
}));
const slots = Array.from({ length: FEEDS }, (_, i) => ({ guildId: guilds[i % 3]!.id, channelId: guilds[i % 3]!.channels[Math.floor(i / 3)] as string, path: `/c${i}.xml` }));

describeRedis('a cluster of three Herald processes on one Redis', () => {
  let redis: Redis;
  let discord: FakeDiscord;
  let feedServer: FeedServer;
  const procs: HeraldProcess[] = [];
  const ports: number[] = [];
  let feeds: ReturnType<FeedServer['feed']>[] = [];

  const titles = (channelId: string) => discord.messagesIn(channelId).map((m) => (m.body.embeds as { title: string }[])[0]!.title);
  const hits = () => slots.map((s) => feedServer.hitsFor(s.path));
  const held = (p: HeraldProcess) => p.logs().filter((l) => l.msg === 'gateway shard acquired').length - p.logs().filter((l) => l.msg === 'gateway shard released').length;
  const polls = async (port: number) => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return text.split('\n').filter((l) => l.startsWith('herald_polls_total{')).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  };

  beforeAll(async () => {
    redis = await freshDb();
    discord = await new FakeDiscord(guilds).start();
    feedServer = await new FeedServer().start();
    feeds = slots.map((s, i) => feedServer.feed(s.path, `Feed ${i}`, items(1, 1)));
    for (let i = 0; i < 3; i++) {
      procs.push(
        spawnHerald({
          DISCORD_TOKEN: 'test-token',
          DISCORD_API_URL: discord.apiUrl,
          DATABASE_URL: redisUrl(),
          HERALD_CLUSTER: 'true',
          DISCORD_SHARDS: '3',
          PORT: '0',
          HOST: '127.0.0.1',
          POLL_INTERVAL: `${INTERVAL_S}s`,
          ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/32',
          LOG_LEVEL: 'info',
        }),
      );
    }
    for (const p of procs) ports.push(Number((await p.waitForLog(isStartLine, 40_000)).port));
  }, 60_000);

  afterAll(() => tearDownCluster({ procs, fakes: [discord, feedServer], redis }));

  it('shares commands, polls and deliveries, and survives a SIGKILL', async () => {
    // Shards spread out: each process ends up owning one (fair share, rebalanced every 5 s).
    await waitFor(() => (procs.every((p) => held(p) === 1) ? true : undefined), 30_000, 'one shard per process');
    await sleep(1500); // the last shard's gateway session is ready
    for (const port of ports) {
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks: Record<string, { ready: boolean }> };
      expect(ready.checks.redis).toEqual({ ready: true });
    }

    for (const [i, s] of slots.entries()) {
      const reply = await discord.interact({ name: 'subscribe', guildId: s.guildId, channelId: s.channelId, options: { feed: feeds[i]!.url } });
      expect(reply.content).toContain(`Feed ${i}`);
    }
    await sleep(500);
    expect([...discord.replies.values()].map((r) => r.length)).toEqual(Array(FEEDS).fill(1));

    // 2 new items per feed: each posted exactly once, in order, in its channel.
    for (const f of feeds) f.set(items(1, 3));
    await waitFor(() => (slots.every((s) => titles(s.channelId).length >= 2) ? true : undefined), 30_000, '2 items in every channel');
    const pollsBefore = await Promise.all(ports.map(polls));
    const hitsBefore = hits();
    await sleep(3 * INTERVAL_S * 1000);
    for (const s of slots) expect(titles(s.channelId)).toEqual(['Item 2', 'Item 3']);

    // About one fetch per interval per feed, summed over the cluster.
    const perInterval = hits().map((h, i) => (h - hitsBefore[i]!) / 3);
    for (const r of perInterval) {
      expect(r).toBeGreaterThanOrEqual(0.5);
      expect(r).toBeLessThanOrEqual(1.5);
    }
    // Each process does at least 10 % of the polls (its own herald_polls_total).
    const done = (await Promise.all(ports.map(polls))).map((n, i) => n - pollsBefore[i]!);
    const total = done.reduce((a, b) => a + b, 0);
    for (const n of done) expect(n / total).toBeGreaterThanOrEqual(0.1);
    expect(procs.every(alive)).toBe(true);

    // A burst of 96 items (4 per feed), one process SIGKILLed while it goes out. Each of its
    // sends in flight may be posted again by the process that takes its drain over: about
    // 45/s × the answer time ÷ 3 processes, so Discord answers in 60 ms here (≈ 1 in flight).
    discord.messageDelayMs = 60;
    for (const f of feeds) f.set(items(1, 7));
    const posted = () => slots.reduce((n, s) => n + titles(s.channelId).length, 0);
    await waitFor(() => (posted() >= 48 + 10 ? true : undefined), 30_000, 'the burst to start');
    procs[0]!.child.kill('SIGKILL');
    await procs[0]!.exited;
    const hitsAtKill = hits();
    const killedAt = Date.now();
    discord.messageDelayMs = 0;

    const want = ['Item 2', 'Item 3', 'Item 4', 'Item 5', 'Item 6', 'Item 7'];
    await waitFor(() => (slots.every((s) => want.every((t) => titles(s.channelId).includes(t))) ? true : undefined), 40_000, 'every item of the burst');
    // Within 30 s every feed is polled again by the two survivors.
    await waitFor(() => (hits().every((h, i) => h > hitsAtKill[i]!) ? true : undefined), Math.max(1000, 30_000 - (Date.now() - killedAt)), 'every feed polled again');
    await sleep(1500); // a late duplicate would arrive now
    let duplicates = 0;
    for (const s of slots) {
      const got = titles(s.channelId);
      duplicates += got.length - new Set(got).size;
      if (got.length !== new Set(got).size) console.log(`[cluster e2e] duplicates in ${s.channelId}: ${got.join(', ')}`);
      expect([...new Set(got)]).toEqual(want);
    }
    expect(duplicates).toBeLessThanOrEqual(3);
    expect(procs.slice(1).every(alive)).toBe(true);

    for (const p of procs.slice(1)) p.child.kill('SIGTERM');
    for (const p of procs.slice(1)) expect((await p.exited).code).toBe(0);
  }, 150_000);
});
