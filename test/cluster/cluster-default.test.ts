// Issue 14: "Any number of Herald processes started with the same DATABASE_URL=redis://… run
// as one cluster." Two `npm start` processes on one private Redis with
// HERALD_CLUSTER unset: before the default changed, the second one exited on the instance
// lease. Both must stay up, report the cluster's Redis check, and share the work (an item of
// a feed subscribed through one is posted exactly once). A single-process Herald
// (HERALD_CLUSTER=false) keeps its lease, and a cluster process does not start beside it.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FeedServer } from '../fakes/feed-server.js';
import { waitFor } from '../fakes/http-util.js';
import { items } from '../e2e/fixture.js';
import { sleep } from '../e2e/harness.js';
import { alive, isStartLine, spawnHerald, tearDownCluster, type HeraldProcess } from '../e2e/subprocess.js';
import { describeRedis, freshDb, redisUrl } from './redis-db.js';

const guildId = '200000000000000001';
const channelId = '300000000000000001';

describeRedis('two Herald processes on one Redis, HERALD_CLUSTER unset', () => {
  let redis: Redis;
  let discord: FakeDiscord;
  let feedServer: FeedServer;
  const procs: HeraldProcess[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    redis = await freshDb();
    discord = await new FakeDiscord([{ id: guildId, channels: [channelId] }]).start();
    feedServer = await new FeedServer().start();
    for (let i = 0; i < 2; i++) {
      // No HERALD_CLUSTER: spawnHerald passes only these (and PATH/HOME), never the test's env.
      procs.push(
        spawnHerald({
          DISCORD_TOKEN: 'test-token',
          DISCORD_API_URL: discord.apiUrl,
          DATABASE_URL: redisUrl(),
          PORT: '0',
          HOST: '127.0.0.1',
          POLL_INTERVAL: '2s',
          ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/32',
          LOG_LEVEL: 'info',
        }),
      );
      // One after the other: the second starts while the first already runs (the lease case).
      ports.push(Number((await procs[i]!.waitForLog(isStartLine, 40_000)).port));
    }
  }, 90_000);

  afterAll(() => tearDownCluster({ procs, fakes: [discord, feedServer], redis }));

  it('both stay up as one cluster and share the work', async () => {
    // A lease refusal would exit the second process at once; give a late one time to show.
    await sleep(3000);
    expect(procs.every(alive)).toBe(true);
    for (const p of procs) {
      expect(p.logs().some((l) => l.msg === 'Holding the instance lease')).toBe(false);
      expect(p.output()).not.toMatch(/instance lease/i);
    }
    for (const port of ports) {
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks: Record<string, { ready: boolean }> };
      expect(ready.checks.redis).toEqual({ ready: true });
    }
    // BullMQ's keys exist: the processes run the cluster's queues, not the single-process poller.
    expect((await redis.keys('herald:cluster:bull:*')).length).toBeGreaterThan(0);

    // One gateway shard: whichever process holds it answers; the item is posted once.
    const feed = feedServer.feed('/default.xml', 'Default feed', items(1, 1));
    await waitFor(() => (procs.some((p) => p.logs().some((l) => l.msg === 'gateway shard acquired')) ? true : undefined), 20_000, 'a shard owner');
    await sleep(1000);
    const reply = await discord.interact({ name: 'subscribe', guildId, channelId, options: { feed: feed.url } });
    expect(reply.content).toContain('Default feed');
    feed.set(items(1, 2));
    await discord.waitForMessages(channelId, 1, 20_000);
    await sleep(2 * 2000 + 1000); // two more intervals: a duplicate would arrive now
    const titles = discord.messagesIn(channelId).map((m) => (m.body.embeds as { title: string }[])[0]!.title);
    expect(titles).toEqual(['Item 2']);
    expect(procs.every(alive)).toBe(true);

    for (const p of procs) p.child.kill('SIGTERM');
    for (const p of procs) expect((await p.exited).code).toBe(0);
  }, 90_000);

  it('refuses to join a Redis where a single-process Herald (HERALD_CLUSTER=false) holds the lease', async () => {
    await redis.flushdb();
    const env = { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl, DATABASE_URL: redisUrl(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
    const single = spawnHerald({ ...env, HERALD_CLUSTER: 'false' });
    procs.push(single);
    await single.waitForLog(isStartLine, 40_000);
    expect(single.logs().some((l) => l.msg === 'Holding the instance lease')).toBe(true);
    const joiner = spawnHerald(env);
    procs.push(joiner);
    expect((await joiner.exited).code).toBe(1);
    expect(joiner.output()).toContain('Another Herald instance is using this store');
    expect(joiner.output()).toContain('HERALD_CLUSTER=false');
    expect(alive(single)).toBe(true);
    single.child.kill('SIGTERM');
    expect((await single.exited).code).toBe(0);
  }, 60_000);
});
