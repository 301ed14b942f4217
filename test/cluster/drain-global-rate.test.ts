// Discord's 45/s per bot, cluster-wide: three cluster runtimes (three "processes", each with
// its own discord.js REST, store connection and drain worker) share one Redis and one bot.
// None holds the guild's gateway shard here, so, as in a real cluster, a process learns a
// channel's type with a GET before its first post there: a turn may make two requests.
// A burst across many channels must reach the fake Discord with no global 429 and at most
// 45 + RATE_BURST request starts in any one-second window, counted over all three together.
import { randomUUID } from 'node:crypto';
import { REST, type Client } from 'discord.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClusterRuntime } from '../../src/cluster/cluster-runtime.js';
import { createCore, type HeraldCore } from '../../src/core/herald.js';
import type { Fetcher } from '../../src/core/fetch/index.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { ChannelDirectory } from '../../src/platforms/discord/channels.js';
import { createDiscordSender } from '../../src/platforms/discord/sender.js';
import { createStore, type Store } from '../../src/store/index.js';
import { addSub, notice } from '../core/deliver/helpers.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { until } from '../runtime/worlds.js';
import { describeRedis, redisUrl } from './redis-db.js';

const PROCESSES = 3;
const GUILD = '210000000000000001';
/** A gateway cache without the guild's channels: a process that does not own its shard. */
const noShard = { channels: { cache: new Map() } } as unknown as Client;
const CHANNELS = 60;
const PER_CHANNEL = 3;
const channel = (i: number) => String(310000000000000000n + BigInt(i));
const idle: Fetcher = { fetch: async () => ({ status: 'not-modified' }), close: async () => undefined };

describeRedis('Discord pacing across cluster processes', () => {
  const ns = `gr-${randomUUID().slice(0, 8)}`;
  let discord: FakeDiscord;
  const parts: { runtime: ClusterRuntime; store: Store; core: HeraldCore; rest: REST }[] = [];
  const starts: number[] = [];

  beforeAll(async () => {
    discord = await new FakeDiscord([{ id: GUILD, channels: Array.from({ length: CHANNELS }, (_, i) => channel(i + 1)) }]).start();
    for (let p = 0; p < PROCESSES; p++) {
      const store = await createStore(redisUrl(), ns, { cluster: true });
      const runtime = new ClusterRuntime({ url: redisUrl(), prefix: ns, logger: createLogger('silent'), pollIntervalMs: 3_600_000, pollConcurrency: 2, perHost: 10, tokens: { discord: 'bot' } });
      const core = createCore({
        store,
        fetcher: idle,
        runtime,
        logger: createLogger('silent'),
        metrics: createMetrics(false),
        settings: { pollIntervalMs: 3_600_000, maxFailures: 10, maxItemsPerPoll: 10, deliveryMaxAgeMs: 86_400_000, fetchConcurrency: 2 },
      });
      const rest = new REST({ api: discord.apiUrl }).setToken('bot');
      // Herald's rule is checked where a request leaves, in any process (this wrapper is the
      // innermost one: whatever paces requests runs before it).
      const wire = rest.options.makeRequest;
      rest.options.makeRequest = (url, init) => (starts.push(performance.now()), wire(url, init));
      core.addSender(createDiscordSender(rest, runtime.clock, runtime.pacer, { channels: new ChannelDirectory(noShard, rest) }));
      await core.start();
      parts.push({ runtime, store, core, rest });
    }
  }, 30_000);

  afterAll(async () => {
    for (const { runtime, core, store, rest } of parts) {
      await runtime.stopWorkers();
      await core.stop();
      await runtime.close();
      await store.close();
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
    await discord?.stop();
    const r = new Redis(redisUrl());
    await r.flushdb();
    r.disconnect();
  }, 30_000);

  it('keeps a burst over many channels under 45/s per bot and gets no global 429', async () => {
    const limiter = discord.enforceRateLimits();
    const { store, core } = parts[0]!;
    const subs = [];
    for (let c = 1; c <= CHANNELS; c++) subs.push(await addSub(store, channel(c)));
    // Every process takes part of the burst, as when three pollers find new items at once.
    for (const [i, sub] of subs.entries()) {
      await parts[i % PROCESSES]!.core.queue.enqueue(sub, Array.from({ length: PER_CHANNEL }, (_, n) => notice(sub, `m${n}`, Date.now() + n)));
    }
    await until(() => discord.messages.length, (n) => n >= CHANNELS * PER_CHANNEL, 'every message posted', 600, 50);
    await core.queue.idle();
    // Every message once, in order per channel.
    for (const c of [1, CHANNELS]) expect(discord.messagesIn(channel(c)).map((m) => m.body.content)).toEqual(['m0', 'm1', 'm2']);
    expect(discord.messages).toHaveLength(CHANNELS * PER_CHANNEL);
    expect({ global429: limiter.stats.global, any429: discord.tooManyRequests }).toEqual({ global429: 0, any429: limiter.stats.bucket });
    starts.sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < starts.length; i++) {
      while (starts[i]! - starts[j]! >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(48);
    // The posts and at most one channel lookup per channel and process, nothing retried.
    expect(starts.length).toBeLessThanOrEqual(CHANNELS * PER_CHANNEL + CHANNELS * PROCESSES + discord.tooManyRequests);
  }, 60_000);
});
