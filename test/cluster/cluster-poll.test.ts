// Poll jobs in a cluster hold FETCH_PER_HOST cluster-wide and share Retry-After pauses.
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterPollOne } from '../../src/cluster/cluster-poll.js';
import { PollQueue } from '../../src/cluster/poll-queue.js';
import { RedisHostGate } from '../../src/cluster/redis-limits.js';
import type { PollReport } from '../../src/core/poll-feed.js';
import { describeRedis, freshDb } from './redis-db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = pino({ level: 'silent' });

describeRedis('cluster polling with the Redis host limiter', () => {
  let redis: Redis;
  const queues: PollQueue[] = [];
  const conns: Redis[] = [];
  beforeAll(async () => {
    redis = await freshDb();
  });
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.stop(500)));
    for (const c of conns) c.disconnect(); // before this file's private Redis stops
    await redis.flushdb();
    redis.disconnect();
  });

  it('at most FETCH_PER_HOST polls of a host at once over two processes; a Retry-After holds the host for both', async () => {
    const hostOf = (id: string) => (id.startsWith('slow') ? 'slow.example' : 'busy.example');
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const polls: [string, number][] = [];
    let answer429 = true;
    const poll = async (feedId: string): Promise<PollReport> => {
      const host = hostOf(feedId);
      running.set(host, (running.get(host) ?? 0) + 1);
      peak.set(host, Math.max(peak.get(host) ?? 0, running.get(host)!));
      polls.push([feedId, Date.now()]);
      await sleep(30);
      running.set(host, running.get(host)! - 1);
      if (host === 'slow.example' && answer429) {
        answer429 = false;
        return { result: 'failed', nextCheckAt: Date.now() + 60_000, retryAfterMs: 1500 };
      }
      return { result: 'unchanged', nextCheckAt: Date.now() + 60_000 };
    };
    const procs = [0, 1].map(() => {
      const conn = redis.duplicate();
      conns.push(conn);
      const gate = new RedisHostGate({ redis: conn, prefix: 'c1:', perHost: 2 });
      const q = new PollQueue({ connection: conn, prefix: 'c1', concurrency: 10, retryMs: 1000, logger, pollOne: clusterPollOne({ poll, hostOf, gate, now: Date.now }) });
      queues.push(q);
      return q;
    });
    const busy = Array.from({ length: 12 }, (_, i) => ({ id: `busy${i}`, nextCheckAt: Date.now() }));
    await procs[0]!.reconcile([{ id: 'slow0', nextCheckAt: Date.now() }]);
    for (const p of procs) p.start();
    await sleep(300); // slow0 answered 429 with Retry-After 1.5 s
    await procs[1]!.reconcile([...busy, ...Array.from({ length: 3 }, (_, i) => ({ id: `slow${i + 1}`, nextCheckAt: Date.now() }))]);
    const pausedAt = polls.find((p) => p[0] === 'slow0')![1];
    const t0 = Date.now();
    while (polls.length < 16 && Date.now() - t0 < 10_000) await sleep(50);
    expect(new Set(polls.map((p) => p[0])).size).toBe(16);
    expect(peak.get('busy.example')).toBe(2);
    // No other feed of the paused host was fetched during the pause, by either process.
    for (const [id, at] of polls) if (id !== 'slow0' && id.startsWith('slow')) expect(at - pausedAt).toBeGreaterThanOrEqual(1400);
    // Busy-host feeds finished long before the pause ended: the paused host held no worker.
    const lastBusy = Math.max(...polls.filter((p) => p[0].startsWith('busy')).map((p) => p[1]));
    expect(lastBusy - pausedAt).toBeLessThan(1400);
  });
});
