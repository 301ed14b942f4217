// Shard ownership across processes: real discord.js shard clients against the fake gateway.
import { Events, MessageFlags, type Client } from 'discord.js';
import { Redis } from 'ioredis';
import { connect, createServer, type Socket } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ShardLocks } from '../../src/cluster/shard-locks.js';
import { redisInteractionClaim } from '../../src/cluster/interaction-claim.js';
import { gatewayClient } from '../../src/platforms/discord/shard-clients.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeGateway } from '../fakes/discord/gateway.js';
import { interactionPayload } from '../fakes/discord/interaction.js';
import { firstChannel, guildsOverShards } from '../fakes/discord/shard-guilds.js';
import { waitFor } from '../fakes/http-util.js';
import { describeRedis, freshDb, redisPort } from './redis-db.js';

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeRedis('gateway shards: one owner each, taken over when the owner dies', () => {
  let redis: Redis;
  let fake: FakeDiscord;
  const guilds = guildsOverShards(4);
  const procs: { name: string; locks: ShardLocks; clients: Map<number, Client>; conn: Redis }[] = [];
  beforeAll(async () => {
    redis = await freshDb();
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

  function processOf(name: string, prefix = 's1:', handoverMs?: number, conn = redis.duplicate()) {
    const clients = new Map<number, Client>();
    // As the adapter does: only the process that claims an interaction answers it.
    const claim = redisInteractionClaim(conn, prefix, logger);
    const locks = new ShardLocks({
      redis: conn,
      prefix,
      ...(handoverMs ? { handoverMs } : {}),
      shardCount: 4,
      logger,
      ttlMs: 4000,
      renewMs: 1000,
      onAcquire: async (shard) => {
        const c = gatewayClient({ apiUrl: fake.apiUrl, shards: [shard], shardCount: 4 });
        c.on(Events.InteractionCreate, (i) => {
          if (!i.isChatInputCommand()) return;
          void claim(i.id).then(async (mine) => {
            if (mine) await i.reply({ content: name, flags: MessageFlags.Ephemeral });
          });
        });
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
    await b.locks.stop();
  }, 60_000);
  /** Dispatches a command every 40 ms over the guilds until stopped; notes any moment a shard had no session. */
  function steadyCommands() {
    const tokens: string[] = [];
    const gaps: string[] = [];
    let on = true;
    const done = (async () => {
      for (let n = 0; on; n++) {
        const connected = new Set(fake.gateway.connectedShards());
        for (let s = 0; s < 4; s++) if (!connected.has(s)) gaps.push(`shard ${s} at command ${n}`);
        const g = guilds[n % 4]!;
        const payload = interactionPayload({ name: 'feeds', guildId: g.id, channelId: firstChannel(g) }, fake.snowflake(), '100000000000000001');
        fake.gateway.dispatch('INTERACTION_CREATE', payload);
        tokens.push(payload.token);
        await sleep(40);
      }
    })();
    return {
      gaps,
      /** Stops, waits for late answers, and returns how many initial callbacks each command got. */
      async stop(): Promise<number[]> {
        on = false;
        await done;
        await sleep(500);
        const callbacks = new Map<string, number>();
        for (const r of fake.requests) {
          const m = /^\/interactions\/\d+\/([^/]+)\/callback$/.exec(r.path);
          if (m) callbacks.set(m[1]!, (callbacks.get(m[1]!) ?? 0) + 1);
        }
        return tokens.map((t) => callbacks.get(t) ?? 0);
      },
    };
  }

  it('hands shards over make-before-break on a rebalance and on stop: no gap, one answer each', async () => {
    const a = processOf('a', 's2:', 3000);
    await a.locks.start();
    await waitFor(() => (fake.gateway.connectedShards().join() === '0,1,2,3' ? true : undefined), 10_000, 'a on every shard');
    const load = steadyCommands();
    await sleep(200);
    // b joins: a offers two shards and stays connected until b's sessions are up.
    const b = processOf('b', 's2:', 3000);
    await b.locks.start();
    await waitFor(() => (a.locks.owned().length === 2 && b.locks.owned().length === 2 && fake.gateway.connectedShards().join() === '0,1,2,3' ? true : undefined), 10_000, 'two shards each');
    await sleep(200);
    // a stops: b connects a's shards before a disconnects, well inside the 3 s window.
    const stopping = Date.now();
    await a.locks.stop();
    expect(Date.now() - stopping).toBeLessThan(3000);
    expect(b.locks.owned()).toEqual([0, 1, 2, 3]);
    await sleep(200);
    const callbacks = await load.stop();
    expect(load.gaps).toEqual([]);
    expect(callbacks.length).toBeGreaterThan(10);
    expect(callbacks.filter((n) => n !== 1)).toEqual([]);
    await b.locks.stop();
  }, 30_000);

  it('a process stopping with nobody to take over lets go at once', async () => {
    const c = processOf('c', 's3:', 3000);
    await c.locks.start();
    expect(c.locks.owned()).toEqual([0, 1, 2, 3]);
    const stopping = Date.now();
    await c.locks.stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
    expect(await redis.keys('s3:shard:*')).toEqual([]);
  }, 20_000);
  it('drops its shards at once when Redis stops answering, although the connection waits to reconnect', async () => {
    // A loopback proxy in front of Redis: closing it is Redis going away for this process only.
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(redisPort(), '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined).on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((res) => proxy.listen(0, '127.0.0.1', res));
    const port = (proxy.address() as { port: number }).port;
    // As the cluster's own connection: commands wait for a reconnect instead of failing.
    const conn = new Redis({ host: '127.0.0.1', port, db: 3, maxRetriesPerRequest: null });
    conn.on('error', () => undefined);
    const d = processOf('d', 's4:', 3000, conn);
    await d.locks.start();
    expect(d.locks.owned()).toEqual([0, 1, 2, 3]);
    proxy.close();
    for (const s of sockets) s.destroy();
    const lostAt = Date.now();
    await waitFor(() => (d.clients.size === 0 && fake.gateway.connectedShards().length === 0 ? true : undefined), 10_000, 'every shard dropped');
    // Within a tick (1 s here) plus a cut-off Redis call, well before its locks (4 s) run out.
    expect(Date.now() - lostAt).toBeLessThan(4000);
    expect(d.locks.owned()).toEqual([]);
  }, 20_000);
});
