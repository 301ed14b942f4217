import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pacedSender, tokenKey } from '../../src/cluster/paced-sender.js';
import { RedisHostGate, RedisPacer } from '../../src/cluster/redis-limits.js';
import type { MessageSender, Platform } from '../../src/domain/types.js';
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

  it('paces a bot token at 45/s summed over processes', async () => {
    const pacers = [new RedisPacer({ redis: a, prefix: 't4:' }), new RedisPacer({ redis: b, prefix: 't4:' })];
    const times: number[] = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 90 }, async (_, i) => {
      await pacers[i % 2]!.wait('discord:token', 45);
      times.push(Date.now() - t0);
    }));
    times.sort((x, y) => x - y);
    // 90 sends at 45/s: about 2 s, and no one-second window holds more than 46.
    expect(times.at(-1)!).toBeGreaterThan(1800);
    for (let i = 0; i + 46 < times.length; i++) expect(times[i + 46]! - times[i]!).toBeGreaterThanOrEqual(1000 - 30);
  });

  it('paces a Slack channel at 1/s, channels independently', async () => {
    const p = new RedisPacer({ redis: a, prefix: 't5:' });
    const t0 = Date.now();
    await p.wait('slack:C1', 1);
    await p.wait('slack:C2', 1);
    expect(Date.now() - t0).toBeLessThan(200);
    await p.wait('slack:C1', 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  const recorder = (platform: Platform, times: number[]): MessageSender => ({
    platform,
    send: async () => {
      times.push(Date.now());
      return { ok: true as const };
    },
  });
  const target = (channelId: string) => ({ platform: 'slack' as const, workspaceId: 'T', channelId });

  it('Discord: 45 sends/s per bot token summed over two processes', async () => {
    const times: number[] = [];
    const senders = [a, b].map((r) => pacedSender(recorder('discord', times), new RedisPacer({ redis: r, prefix: 'ps:' }), { token: 'bot-token' }));
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 60 }, (_, i) => senders[i % 2]!.send({ ...target('c'), platform: 'discord' }, {} as never)));
    // 60 sends at 45/s take at least 59/45 s.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1250);
    expect(await a.keys('ps:*')).toEqual([`ps:pace:discord:${tokenKey('bot-token')}`]); // no token in Redis
  });

  it('Slack: about 1 message/s per channel, channels independent', async () => {
    const times: number[] = [];
    const sa = pacedSender(recorder('slack', times), new RedisPacer({ redis: a, prefix: 'ps2:' }), { token: 'xoxb' });
    const sb = pacedSender(recorder('slack', times), new RedisPacer({ redis: b, prefix: 'ps2:' }), { token: 'xoxb' });
    const t0 = Date.now();
    await Promise.all([sa.send(target('C1'), {} as never), sb.send(target('C2'), {} as never)]);
    expect(Date.now() - t0).toBeLessThan(300);
    await sb.send(target('C1'), {} as never);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });
});
