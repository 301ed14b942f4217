import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisHostGate, RedisPacer, tokenKey } from '../../src/cluster/redis-limits.js';
import { DISCORD_PER_SECOND, ratePace } from '../../src/core/limits/pacer.js';
import { SLACK_CHANNEL_PACE, slackChannelKey } from '../../src/platforms/slack/pacing.js';
import { describeRedis, freshDb } from './redis-db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeRedis('Redis-backed limiters shared by processes', () => {
  let a: Redis;
  let b: Redis;
  beforeAll(async () => {
    a = await freshDb();
    b = a.duplicate(); // a second "process": its own connection, same db
  });
  afterAll(async () => {
    await a.flushdb();
    a.disconnect();
    b.disconnect();
  });

  it('holds FETCH_PER_HOST fetches at once across processes, and the next starts when one ends', async () => {
    const gates = [new RedisHostGate({ redis: a, prefix: 't1:', perHost: 2 }), new RedisHostGate({ redis: b, prefix: 't1:', perHost: 2 })];
    let running = 0;
    let peak = 0;
    const job = async (i: number) => {
      const release = await gates[i % 2]!.acquire('feeds.example');
      running++;
      peak = Math.max(peak, running);
      await sleep(40);
      running--;
      await release();
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => job(i)));
    expect(peak).toBe(2);
    // 8 jobs of 40 ms, 2 at a time: about 160 ms when slots are reused promptly.
    expect(Date.now() - t0).toBeLessThan(1500);
    // Other hosts are not held up by a full one.
    const other = await gates[0]!.tryAcquire('other.example');
    expect('release' in other).toBe(true);
  });

  it('a dead holder frees its slot when its lease runs out', async () => {
    const gate = new RedisHostGate({ redis: a, prefix: 't2:', perHost: 1, leaseMs: 200 });
    const first = await gate.tryAcquire('h');
    expect('release' in first).toBe(true); // never released: the process "died"
    expect('waitMs' in (await gate.tryAcquire('h'))).toBe(true);
    await sleep(250);
    expect('release' in (await gate.tryAcquire('h'))).toBe(true);
  });

  it('a Retry-After pause from one process holds the host for all', async () => {
    const g1 = new RedisHostGate({ redis: a, prefix: 't3:', perHost: 5 });
    const g2 = new RedisHostGate({ redis: b, prefix: 't3:', perHost: 5 });
    await g1.pause('slow.example', 300);
    const got = await g2.tryAcquire('slow.example');
    expect('waitMs' in got && got.waitMs > 200 && got.waitMs <= 300).toBe(true);
    // A shorter pause never cuts a longer one short.
    await g2.pause('slow.example', 10);
    const again = await g2.tryAcquire('slow.example');
    expect('waitMs' in again && again.waitMs > 150).toBe(true);
    const t0 = Date.now();
    const release = await g2.acquire('slow.example');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await release();
  });

  const clock = { now: () => Date.now() };

  it('paces a bot token at 45/s summed over processes (the GCRA rule of one process, in Redis)', async () => {
    const pacers = [new RedisPacer({ redis: a, prefix: 't4:', clock }), new RedisPacer({ redis: b, prefix: 't4:', clock })];
    const rule = ratePace(DISCORD_PER_SECOND);
    const granted: number[] = [];
    // Two "processes" ask as fast as Redis answers for 1.5 s; only the grants are counted.
    const until = Date.now() + 1500;
    await Promise.all(
      pacers.map(async (p) => {
        while (Date.now() < until) if ((await p.take('rate:discord:bot', rule)) === 0) granted.push(Date.now());
      }),
    );
    granted.sort((x, y) => x - y);
    // Burst + rate: no one-second window holds more than 45 + 3 (a few ms of slack for the two clocks).
    for (let i = 0; i + 48 < granted.length; i++) expect(granted[i + 48]! - granted[i]!).toBeGreaterThanOrEqual(1000 - 30);
    expect(granted.length).toBeGreaterThanOrEqual(45);
  });

  it('reserve() gives requests of several processes their own starts on one key, 45 + 3 per second at most', async () => {
    const pacers = [new RedisPacer({ redis: a, prefix: 't6:', clock }), new RedisPacer({ redis: b, prefix: 't6:', clock })];
    const rule = ratePace(DISCORD_PER_SECOND);
    const t0 = Date.now();
    // 120 requests at once from two processes: every one is taken, each at its own time.
    const waits = await Promise.all(Array.from({ length: 120 }, (_, i) => pacers[i % 2]!.reserve('rate:discord:bot', rule)));
    const starts = waits.map((w) => t0 + w).sort((x, y) => x - y);
    for (let i = 0; i + 48 < starts.length; i++) expect(starts[i + 48]! - starts[i]!).toBeGreaterThanOrEqual(1000 - 30);
    expect(starts.at(-1)! - t0).toBeGreaterThanOrEqual(((120 - 3) / 45) * 1000 - 50);
    // Spent for everyone: a plain take in either process must wait too.
    expect(await pacers[0]!.take('rate:discord:bot', rule)).toBeGreaterThan(1000);
  });

  it("paces a Slack channel at 1050 ms after a burst of 3, for every process; channels independent", async () => {
    const [pa, pb] = [new RedisPacer({ redis: a, prefix: 't5:', clock }), new RedisPacer({ redis: b, prefix: 't5:', clock })];
    const key = slackChannelKey('C1');
    const t0 = Date.now();
    // The next send is due 1050 ms after the burst, less the time these round trips took: a
    // bound relative to the elapsed time holds however slow a loaded machine makes them.
    const dueIn = () => 1050 - (Date.now() - t0) - 5;
    expect([await pa.take(key, SLACK_CHANNEL_PACE), await pb.take(key, SLACK_CHANNEL_PACE), await pa.take(key, SLACK_CHANNEL_PACE)]).toEqual([0, 0, 0]);
    const wait = await pb.take(key, SLACK_CHANNEL_PACE);
    expect(wait).toBeGreaterThanOrEqual(dueIn());
    expect(wait).toBeLessThanOrEqual(1050);
    // Spent: asking again takes nothing, and readyAt agrees in the other process.
    expect(await pb.take(key, SLACK_CHANNEL_PACE)).toBeGreaterThanOrEqual(dueIn());
    expect((await pa.readyAt(key, SLACK_CHANNEL_PACE)) - Date.now()).toBeGreaterThanOrEqual(dueIn());
    expect(await pa.take(slackChannelKey('C2'), SLACK_CHANNEL_PACE)).toBe(0);
  });

  it("holds a key for every process (Discord's exhausted bucket), never shortening a hold", async () => {
    const [pa, pb] = [new RedisPacer({ redis: a, prefix: 't6:', clock }), new RedisPacer({ redis: b, prefix: 't6:', clock })];
    await pa.hold('discord:channel:1', Date.now() + 2000);
    await pb.hold('discord:channel:1', Date.now() + 100);
    expect((await pb.readyAt('discord:channel:1')) - Date.now()).toBeGreaterThan(1500);
    expect(await pb.readyAt('discord:channel:2')).toBe(0);
  });

  it('keeps no bot token in Redis: a short hash of it', () => {
    expect(tokenKey('bot-token')).toMatch(/^[0-9a-f]{16}$/);
    expect(tokenKey('bot-token')).not.toContain('bot');
  });
});
