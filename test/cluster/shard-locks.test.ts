// Shard ownership across processes: real discord.js shard clients against the fake gateway.
import { Events, MessageFlags, type Client } from 'discord.js';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ShardLocks } from '../../src/cluster/shard-locks.js';
import { gatewayClient } from '../../src/platforms/discord/shard-clients.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeGateway } from '../fakes/discord/gateway.js';
import { interactionPayload } from '../fakes/discord/interaction.js';
import { firstChannel, guildsOverShards } from '../fakes/discord/shard-guilds.js';
import { waitFor } from '../fakes/http-util.js';
import { describeRedis, freshDb } from './redis-db.js';

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeRedis('gateway shards: one owner each, taken over when the owner dies', () => {
  let redis: Redis;
  let fake: FakeDiscord;
  const guilds = guildsOverShards(4);
  const procs: { name: string; locks: ShardLocks; clients: Map<number, Client>; conn: Redis }[] = [];
  beforeAll(async () => {
    redis = await freshDb(13);
    fake = await new FakeDiscord(guilds).start();
  });
  afterAll(async () => {
    for (const p of procs) {
      await p.locks.stop().catch(() => undefined);
      for (const c of p.clients.values()) await c.destroy();
      p.conn.disconnect();
    }
    await fake.stop();
    await redis.flushdb();
    redis.disconnect();
  });

  function processOf(name: string) {
    const conn = redis.duplicate();
    const clients = new Map<number, Client>();
    const locks = new ShardLocks({
      redis: conn,
      prefix: 's1:',
      shardCount: 4,
      logger,
      ttlMs: 4000,
      renewMs: 1000,
      onAcquire: async (shard) => {
        const c = gatewayClient({ apiUrl: fake.apiUrl, shards: [shard], shardCount: 4 });
        c.on(Events.InteractionCreate, (i) => void (i.isChatInputCommand() && i.reply({ content: name, flags: MessageFlags.Ephemeral })));
        clients.set(shard, c);
        const ready = new Promise((r) => c.once(Events.ClientReady, r));
        await c.login('test-token');
        await ready;
      },
      onLose: async (shard) => {
        await clients.get(shard)?.destroy();
        clients.delete(shard);
      },
    });
    const p = { name, locks, clients, conn };
    procs.push(p);
    return p;
  }

  /** One slash command in each guild; returns who answered each, after a pause for extra answers. */
  async function askEveryGuild(): Promise<string[][]> {
    const tokens = guilds.map((g) => {
      const payload = interactionPayload({ name: 'feeds', guildId: g.id, channelId: firstChannel(g) }, fake.snowflake(), '100000000000000001');
      fake.gateway.dispatch('INTERACTION_CREATE', payload);
      return payload.token;
    });
    await waitFor(() => (tokens.every((t) => fake.replies.get(t)?.length) ? true : undefined), 10_000, 'an answer in every guild');
    await sleep(300);
    return tokens.map((t) => fake.replies.get(t)!.map((r) => r.content));
  }

  it('spreads shards over processes; each guild answered exactly once; a dead owner is replaced within 30 s', async () => {
    expect(guilds.map((g) => FakeGateway.shardFor(g.id, 4))).toEqual([0, 1, 2, 3]);
    const a = processOf('a');
    await a.locks.start();
    const b = processOf('b');
    await b.locks.start();
    // a took all 4 alone; once b shows up, a hands back what is over its share.
    await waitFor(() => (a.locks.owned().length === 2 && b.locks.owned().length === 2 ? true : undefined), 15_000, 'two shards each');
    await waitFor(() => (fake.gateway.connectedShards().join() === '0,1,2,3' ? true : undefined), 10_000, 'every shard connected once');
    const answers = await askEveryGuild();
    for (const who of answers) expect(who).toHaveLength(1);
    expect(new Set(answers.flat())).toEqual(new Set(['a', 'b']));

    // a "dies": its connection to Redis and its gateway sockets go, its locks are never released.
    const aShards = a.locks.owned();
    a.conn.disconnect(false);
    for (const c of a.clients.values()) await c.destroy();
    const diedAt = Date.now();
    await waitFor(() => (b.clients.size === 4 && fake.gateway.connectedShards().join() === '0,1,2,3' ? true : undefined), 30_000, 'b connected to every shard');
    expect(Date.now() - diedAt).toBeLessThan(30_000);
    expect(b.locks.owned()).toEqual(expect.arrayContaining(aShards));
    const after = await askEveryGuild();
    for (const who of after) expect(who).toEqual(['b']);
  }, 60_000);
});
