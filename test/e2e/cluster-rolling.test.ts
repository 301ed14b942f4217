// Issue 14, "Rolling restarts never drop a command": three `npm start` processes with
// HERALD_CLUSTER=true on one private Redis and DISCORD_SHARDS=3 against
// one fake Discord. While a /subscribe arrives every 250 ms (round robin over the three
// shards' guilds), each process in turn gets SIGTERM, exits, and is started again. The fake
// gateway, like Discord, drops an interaction when no session of its shard is connected and
// sends it to every session when two are, so a gap loses commands and a missing claim
// answers twice: every command must get exactly one interaction callback.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { APP_ID, FakeGateway, type FakeGuild } from '../fakes/discord/gateway.js';
import { interactionPayload } from '../fakes/discord/interaction.js';
import { FeedServer } from '../fakes/feed-server.js';
import { waitFor } from '../fakes/http-util.js';
import { describeRedis, freshDb, redisUrl } from '../cluster/redis-db.js';
import { items } from './fixture.js';
import { sleep } from './harness.js';
import { alive, isStartLine, spawnHerald, tearDownCluster, type HeraldProcess } from './subprocess.js';

const EVERY_MS = 250;
// Guild k lands on shard k % 3; two channels each keep every channel under its subscription cap.
const guilds: FakeGuild[] = Array.from({ length: 3 }, (_, k) => ({
  id: String((960_000n + BigInt(k)) << 22n),
  channels: [0, 1].map((j) => String(300_000_000_000_002_000n + BigInt(k * 10 + j))),
}));

describeRedis('rolling restart of a three-process cluster', () => {
  let redis: Redis;
  let discord: FakeDiscord;
  let feedServer: FeedServer;
  const procs: HeraldProcess[] = [];
  const env = () => ({
    DISCORD_TOKEN: 'test-token',
    DISCORD_API_URL: discord.apiUrl,
    DATABASE_URL: redisUrl(),
    HERALD_CLUSTER: 'true',
    DISCORD_SHARDS: '3',
    PORT: '0',
    HOST: '127.0.0.1',
    ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/32',
    FEED_CHECKS_PER_MINUTE: '1000',
    LOG_LEVEL: 'info',
  });
  const held = (p: HeraldProcess) => p.logs().filter((l) => l.msg === 'gateway shard acquired').length - p.logs().filter((l) => l.msg === 'gateway shard released').length;
  const oneShardEach = (what: string) => waitFor(() => (procs.filter(alive).every((p) => held(p) === 1) && discord.gateway.connectedShards().join() === '0,1,2' ? true : undefined), 15_000, what);
  const spawn = async () => {
    const p = spawnHerald(env());
    procs.push(p);
    await p.waitForLog(isStartLine, 40_000);
    return p;
  };

  beforeAll(async () => {
    redis = await freshDb();
    discord = await new FakeDiscord(guilds).start();
    feedServer = await new FeedServer().start();
    await Promise.all([spawn(), spawn(), spawn()]);
  }, 60_000);

  afterAll(() => tearDownCluster({ procs, fakes: [discord, feedServer], redis }));

  it('answers every command exactly once while each process is restarted in turn', async () => {
    await oneShardEach('one shard per process');
    await sleep(500); // the last shard's session is ready

    const sent: { token: string; at: number; title: string }[] = [];
    let sending = true;
    const sender = (async () => {
      for (let n = 0; sending; n++) {
        const g = guilds[n % 3]!;
        const title = `Rolling ${n}`;
        const feed = feedServer.feed(`/rolling-${n}.xml`, title, items(1, 1));
        const payload = interactionPayload({ name: 'subscribe', guildId: g.id, channelId: g.channels[Math.floor(n / 3) % 2] as string, options: { feed: feed.url } }, discord.snowflake(), APP_ID);
        discord.gateway.dispatch('INTERACTION_CREATE', payload);
        sent.push({ token: payload.token, at: Date.now(), title });
        await sleep(EVERY_MS);
      }
    })();

    await sleep(1000);
    for (let i = 0; i < 3; i++) {
      const old = procs[i]!;
      old.child.kill('SIGTERM');
      expect((await old.exited).code).toBe(0);
      await spawn();
      // The new process joins and takes its share back (a rebalance, handed over the same way).
      await oneShardEach(`one shard per process after restart ${i + 1}`);
    }
    await sleep(1000);
    sending = false;
    await sender;
    await sleep(3000); // the last answers, and any second answer, arrive

    const callbacks = new Map<string, number>();
    for (const r of discord.requests) {
      const m = /^\/interactions\/\d+\/([^/]+)\/callback$/.exec(r.path);
      if (m && r.method === 'POST') callbacks.set(m[1]!, (callbacks.get(m[1]!) ?? 0) + 1);
    }
    const wrong = sent.filter((s) => callbacks.get(s.token) !== 1).map((s) => `${s.title}: ${callbacks.get(s.token) ?? 0} callbacks`);
    expect(wrong).toEqual([]);
    for (const s of sent) expect(discord.replies.get(s.token)?.at(-1)?.content).toContain(s.title);
    expect(sent.length).toBeGreaterThan(20);
    expect(guilds.map((g) => FakeGateway.shardFor(g.id, 3))).toEqual([0, 1, 2]);

    for (const p of procs.filter(alive)) p.child.kill('SIGTERM');
    for (const p of procs.slice(3)) expect((await p.exited).code).toBe(0);
  }, 90_000);
});
