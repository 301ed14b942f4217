import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { PollQueue } from '../../src/cluster/poll-queue.js';
import { describeRedis, freshDb, redisUrl } from './redis-db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = pino({ level: 'silent' });

describeRedis('polling through BullMQ', () => {
  let redis: Redis;
  const queues: PollQueue[] = [];
  const children: ReturnType<typeof spawn>[] = [];
  beforeAll(async () => {
    redis = await freshDb();
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(queues.map((q) => q.stop(500)));
    await redis.flushdb();
    redis.disconnect();
  });

  /** A "process": its own connection and worker; polls are logged as [process, feed, start, end]. */
  function processOf(name: string, prefix: string, log: [string, string, number, number][], intervalMs: number, pollMs = 20) {
    const q = new PollQueue({
      connection: redis.duplicate(),
      prefix,
      concurrency: 8,
      retryMs: intervalMs,
      logger,
      lockDurationMs: 4000,
      stalledIntervalMs: 1000,
      pollOne: async (feedId) => {
        const start = Date.now();
        await sleep(pollMs);
        log.push([name, feedId, start, Date.now()]);
        return start + intervalMs;
      },
    });
    queues.push(q);
    return q;
  }

  it('polls each feed once per interval cluster-wide, spread over the processes, never two at once', async () => {
    const log: [string, string, number, number][] = [];
    const a = processOf('a', 'p1', log, 600);
    const b = processOf('b', 'p1', log, 600);
    const feeds = Array.from({ length: 20 }, (_, i) => ({ id: `f${i}`, nextCheckAt: Date.now() + i * 30 }));
    await a.reconcile(feeds);
    await b.reconcile(feeds); // the second process at start: no second job per feed
    a.start();
    b.start();
    await sleep(3100);
    await Promise.all([a.stop(), b.stop()]);
    for (const f of feeds) {
      const polls = log.filter((p) => p[1] === f.id).sort((x, y) => x[2] - y[2]);
      // ~3 s at 600 ms: 5 polls each (one interval of slack either way).
      expect(polls.length, f.id).toBeGreaterThanOrEqual(4);
      expect(polls.length, f.id).toBeLessThanOrEqual(6);
      for (let i = 1; i < polls.length; i++) expect(polls[i]![2]).toBeGreaterThanOrEqual(polls[i - 1]![3]);
    }
    const byA = log.filter((p) => p[0] === 'a').length;
    expect(byA / log.length).toBeGreaterThan(0.1);
    expect(byA / log.length).toBeLessThan(0.9);
  });

  it('a feed whose poll says it is gone loses its job', async () => {
    const q = new PollQueue({ connection: redis.duplicate(), prefix: 'p2', concurrency: 2, retryMs: 100, logger, pollOne: async () => undefined });
    queues.push(q);
    await q.schedule('gone', Date.now());
    q.start();
    await sleep(500);
    expect(await q.queue.getJob('feed-gone')).toBeUndefined();
  });

  it('the jobs of a SIGKILLed process are polled again by the others', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/cluster/fixtures/hanging-poller.ts', redisUrl(), 'p3'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const survivorLog: [string, string, number, number][] = [];
    const feeds = Array.from({ length: 6 }, (_, i) => ({ id: `k${i}`, nextCheckAt: Date.now() }));
    const setup = new PollQueue({ connection: redis.duplicate(), prefix: 'p3', concurrency: 1, retryMs: 100, logger, pollOne: async () => undefined });
    queues.push(setup);
    const t0 = Date.now();
    await setup.reconcile(feeds);
    while ((out.match(/took/g) ?? []).length < 6 && Date.now() - t0 < 20_000) await sleep(50);
    expect((out.match(/took/g) ?? []).length).toBe(6); // the child holds every feed
    child.kill('SIGKILL');
    const killedAt = Date.now();
    const survivor = processOf('s', 'p3', survivorLog, 60_000);
    survivor.start();
    while (new Set(survivorLog.map((p) => p[1])).size < 6 && Date.now() - killedAt < 25_000) await sleep(100);
    expect(new Set(survivorLog.map((p) => p[1])).size).toBe(6);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
  }, 60_000);

  it('reconcile adds only the missing jobs, whatever state the others are in (one read, not a script per feed)', async () => {
    let release!: () => void;
    const hanging = new Promise<void>((r) => (release = r));
    const q = new PollQueue({
      connection: redis.duplicate(),
      prefix: 'p4',
      concurrency: 1,
      logger,
      pollOne: async () => {
        await hanging;
        return Date.now() + 60_000;
      },
    });
    queues.push(q);
    const now = Date.now();
    await q.schedule('busy', now);
    q.start();
    for (let i = 0; i < 100 && (await q.queue.getActiveCount()) === 0; i++) await sleep(20);
    await q.schedule('later', now + 60_000);
    await q.schedule('due', now); // the one worker slot is busy: it stays waiting
    expect([await q.queue.getJobState('feed-busy'), await q.queue.getJobState('feed-later'), await q.queue.getJobState('feed-due')]).toEqual(['active', 'delayed', 'waiting']);
    const adds = vi.spyOn(q.queue, 'addBulk');
    await q.reconcile(['busy', 'later', 'due', 'new'].map((id) => ({ id, nextCheckAt: now + 30_000 })));
    expect(adds.mock.calls.flatMap(([jobs]) => jobs.map((j) => j.data.feedId))).toEqual(['new']);
    expect(await q.queue.getJobState('feed-new')).toBe('delayed');
    release();
  });
});
