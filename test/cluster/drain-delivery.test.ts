// DrainQueue running DeliveryQueue's real turns (pick head, send, settle) on the real outbox:
// two "processes" share the store and the drains, every delivery is sent once, in order.
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DrainQueue } from '../../src/cluster/drain-queue.js';
import { channelKey } from '../../src/domain/records.js';
import { addSub, FakeSender, item, makeQueue, memoryStore } from '../core/deliver/helpers.js';
import { describeRedis, freshDb } from './redis-db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeRedis('BullMQ drains over the real delivery queue', () => {
  let redis: Redis;
  const drains: DrainQueue[] = [];
  beforeAll(async () => {
    redis = await freshDb();
  });
  afterAll(async () => {
    await Promise.all(drains.map((d) => d.stop(500)));
    await redis.flushdb();
    redis.disconnect();
  });

  it('sends each delivery once, oldest first per channel, with the work spread over both', async () => {
    const store = await memoryStore();
    const senders = [new FakeSender('discord'), new FakeSender('discord')];
    // Each queue's dispatcher is a DrainQueue over that queue's own turns, as ClusterRuntime builds it.
    const queues = senders.map(
      (s) =>
        makeQueue(store, [s], {
          dispatch: (work) => {
            const d = new DrainQueue({ connection: redis.duplicate(), prefix: 'dd', concurrency: 4, logger: pino({ level: 'silent' }), turn: (key) => work.turn(key) });
            drains.push(d);
            d.start();
            return { kick: (key) => void d.kick(key), start: async () => undefined, stop: () => d.stop(500), idle: async () => undefined };
          },
        }).queue,
    );
    const subs = await Promise.all(['C1', 'C2', 'C3', 'C4'].map((c) => addSub(store, c)));
    for (let round = 0; round < 5; round++) {
      for (const [i, sub] of subs.entries()) {
        const q = queues[(round + i) % 2]!;
        await q.persist(sub, [item(sub, `${sub.channelId}-${round}a`), item(sub, `${sub.channelId}-${round}b`)]);
        await drains[(round + i) % 2]!.kick(channelKey(sub));
      }
      await sleep(20);
    }
    const t0 = Date.now();
    while (senders[0]!.sent.length + senders[1]!.sent.length < 40 && Date.now() - t0 < 10_000) await sleep(50);
    await sleep(300);
    for (const sub of subs) {
      const sent = [...senders[0]!.sent, ...senders[1]!.sent].filter((s) => s.channelId === sub.channelId).sort((a, b) => a.at - b.at).map((s) => s.text);
      expect(sent).toEqual(Array.from({ length: 5 }, (_, r) => [`${sub.channelId}-${r}a`, `${sub.channelId}-${r}b`]).flat());
    }
    expect(await store.outbox.channels()).toEqual([]);
    expect(senders.every((s) => s.sent.length > 0)).toBe(true);
  });
});
