// Platform limits across processes: every send waits for the shared Redis pacer.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pacedSender, tokenKey } from '../../src/cluster/paced-sender.js';
import { RedisPacer } from '../../src/cluster/redis-limits.js';
import type { MessageSender, Platform } from '../../src/core/types.js';
import { describeRedis, freshDb } from './redis-db.js';

describeRedis('paced senders shared by processes', () => {
  let redis: Redis;
  let other: Redis;
  beforeAll(async () => {
    redis = await freshDb(15);
    other = redis.duplicate();
  });
  afterAll(async () => {
    await redis.flushdb();
    redis.disconnect();
    other.disconnect();
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
    const senders = [redis, other].map((r) => pacedSender(recorder('discord', times), new RedisPacer({ redis: r, prefix: 'ps:' }), { token: 'bot-token' }));
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 60 }, (_, i) => senders[i % 2]!.send({ ...target('c'), platform: 'discord' }, {} as never)));
    // 60 sends at 45/s take at least 59/45 s.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1250);
    expect(await redis.keys('ps:*')).toEqual([`ps:pace:discord:${tokenKey('bot-token')}`]); // no token in Redis
  });

  it('Slack: about 1 message/s per channel, channels independent', async () => {
    const times: number[] = [];
    const a = pacedSender(recorder('slack', times), new RedisPacer({ redis, prefix: 'ps2:' }), { token: 'xoxb' });
    const b = pacedSender(recorder('slack', times), new RedisPacer({ redis: other, prefix: 'ps2:' }), { token: 'xoxb' });
    const t0 = Date.now();
    await Promise.all([a.send(target('C1'), {} as never), b.send(target('C2'), {} as never)]);
    expect(Date.now() - t0).toBeLessThan(300);
    await b.send(target('C1'), {} as never);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });
});
