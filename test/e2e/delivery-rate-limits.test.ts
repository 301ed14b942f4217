// The queue and the real discord.js REST against the fake Discord's rate limits: bucket
// headers park an exhausted channel (no 429s, order kept), and the queue's 45/s pacing
// keeps a wide burst under the 50 requests/s global limit.
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordSender } from '../../src/platforms/discord/sender.js';
import { channelKey } from '../../src/domain/records.js';
import { addSub, makeQueue, memoryStore, notice } from '../core/deliver/helpers.js';
import { FakeDiscord } from '../fakes/discord/index.js';

const channel = (i: number) => String(300000000000000000n + BigInt(i));

describe('delivery under Discord rate limits', () => {
  let discord: FakeDiscord;
  let rest: REST;

  beforeEach(async () => {
    discord = await new FakeDiscord().start();
    rest = new REST({ api: discord.apiUrl }).setToken('test-token');
  });
  afterEach(async () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await discord.stop();
    discord.throwIfInvalidRequests();
  });

  it('waits out an exhausted channel bucket from its headers: in order, no 429, other channels unaffected', async () => {
    const limiter = discord.enforceRateLimits({ perChannel: 2, perChannelWindowMs: 600, globalPerSecond: 50 });
    const store = await memoryStore();
    const sender = createDiscordSender(rest);
    const { queue } = makeQueue(store, [sender], { rates: {} });
    const busy = await addSub(store, channel(1));
    const quiet = await addSub(store, channel(2));
    const started = Date.now();
    await queue.enqueue(busy, Array.from({ length: 6 }, (_, i) => notice(busy, `b${i}`)));
    await queue.enqueue(quiet, [notice(quiet, 'q0')]);
    await queue.idle();
    const texts = discord.messagesIn(channel(1)).map((m) => m.body.content);
    expect(texts).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 600); // three windows of two
    // Order, not a wall-clock bound: the quiet channel was served before the busy channel's
    // bucket refilled (b2 is the first post of its second window).
    expect(discord.messagesIn(channel(2))[0]!.at).toBeLessThanOrEqual(discord.messagesIn(channel(1))[2]!.at);
    expect(limiter.stats).toEqual({ global: 0, bucket: 0 });
    expect(await store.outbox.list(channelKey(busy))).toEqual([]);
  });

  it('tells the queue when an exhausted channel refills (X-RateLimit-Remaining 0 + Reset-After)', async () => {
    // A long window, which nothing here waits out: the reset it reports stays far above zero
    // however long a busy machine takes between the two sends.
    discord.enforceRateLimits({ perChannel: 2, perChannelWindowMs: 10_000, globalPerSecond: 50 });
    const sender = createDiscordSender(rest);
    const target = { platform: 'discord' as const, workspaceId: 'g', channelId: channel(3) };
    const msg = { kind: 'notice' as const, text: 'hi' };
    expect(await sender.send(target, msg)).toEqual({ ok: true });
    expect(await sender.readyAt(target)).toBe(0);
    expect(await sender.send(target, msg)).toEqual({ ok: true });
    const wait = (await sender.readyAt(target)) - Date.now();
    expect(wait).toBeGreaterThan(5000);
    expect(wait).toBeLessThanOrEqual(10_100);
  });

  it('keeps a burst across many channels under the global limit', async () => {
    const limiter = discord.enforceRateLimits();
    const store = await memoryStore();
    // Herald's rule is checked where Herald applies it, at the start of each send: the fake's
    // fixed one-second window counts arrivals, and on a loaded machine a request delayed in
    // flight can land in the next window beside that window's own (seen once in ~20 CI runs).
    const real = createDiscordSender(rest);
    const starts: number[] = [];
    const sender = { ...real, send: (...args: Parameters<typeof real.send>) => (starts.push(performance.now()), real.send(...args)) };
    const { queue } = makeQueue(store, [sender], { rates: { discord: 45 } });
    const started = Date.now();
    for (let c = 1; c <= 40; c++) {
      const sub = await addSub(store, channel(c));
      await queue.enqueue(sub, [notice(sub, 'one'), notice(sub, 'two')]);
    }
    await queue.idle();
    expect(discord.messages).toHaveLength(80);
    // At most 45 a second plus the burst of 3, in every one-second window of send starts.
    let busiest = 0;
    for (let i = 0, j = 0; i < starts.length; i++) {
      while (starts[i]! - starts[j]! >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(48);
    // At the fake: the 1 % of 429s the delivery bench allows (0.8 of 80, so none or one), each
    // retried: every message still arrived exactly once (above).
    expect(limiter.stats.global).toBeLessThanOrEqual(1);
    expect(discord.tooManyRequests).toBe(limiter.stats.global);
    expect(Date.now() - started).toBeGreaterThanOrEqual(((80 - 3) / 45) * 1000 - 50);
  });
});
