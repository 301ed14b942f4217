import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DrainQueue } from '../../src/cluster/drain-queue.js';
import { redisOutbox } from './fixtures/redis-outbox.js';
import { describeRedis, freshDb, redisUrl } from './redis-db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = pino({ level: 'silent' });
const waitUntil = async (cond: () => Promise<boolean>, ms: number) => {
  const t0 = Date.now();
  while (!(await cond()) && Date.now() - t0 < ms) await sleep(50);
};

describeRedis('delivery through BullMQ: one drain per channel', () => {
  let redis: Redis;
  const queues: DrainQueue[] = [];
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

  function processOf(prefix: string, who: string, busy: Map<string, string>) {
    const conn = redis.duplicate();
    const outbox = redisOutbox(conn, prefix);
    const q = new DrainQueue({
      connection: conn,
      prefix,
      concurrency: 4,
      logger,
      sweepMs: 500,
      lockDurationMs: 4000,
      stalledIntervalMs: 1000,
      turn: async (key) => {
        if (busy.has(key)) throw new Error(`${key} drained by ${busy.get(key)} and ${who} at once`);
        busy.set(key, who);
        try {
          await sleep(Math.random() * 4);
          return await outbox.turn(key, who);
        } finally {
          busy.delete(key);
        }
      },
    });
    queues.push(q);
    return { q, outbox };
  }

  it('keeps per-channel order with three processes, and strands nothing appended mid-drain', async () => {
    const busy = new Map<string, string>();
    const errors: unknown[] = [];
    const procs = ['a', 'b', 'c'].map((w) => processOf('d1', w, busy));
    for (const p of procs) p.q.start();
    const channels = Array.from({ length: 8 }, (_, i) => `discord:g:${i}`);
    // Appends at random moments, each followed by a kick from a random process, as a poll would.
    for (let round = 0; round < 15; round++) {
      await Promise.all(channels.map(async (ch, i) => {
        const p = procs[(round + i) % 3]!;
        await p.outbox.append(ch, [`${ch}#${round * 2}`, `${ch}#${round * 2 + 1}`]);
        await p.q.kick(ch).catch((e: unknown) => errors.push(e));
      }));
      await sleep(Math.random() * 30);
    }
    const outbox = procs[0]!.outbox;
    await waitUntil(async () => (await Promise.all(channels.map((c) => outbox.posted(c)))).every((l) => l.length >= 30), 15_000);
    for (const ch of channels) {
      expect(await outbox.posted(ch)).toEqual(Array.from({ length: 30 }, (_, n) => `${ch}#${n}`));
    }
    const shares = await Promise.all(['a', 'b', 'c'].map((w) => redis.llen(`d1:by:${w}`)));
    expect(shares.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it('an item appended and kicked after the drain found the outbox empty is still posted', async () => {
    const conn = redis.duplicate();
    const outbox = redisOutbox(conn, 'd3');
    let sneaked = false;
    const q: DrainQueue = new DrainQueue({
      connection: conn,
      prefix: 'd3',
      concurrency: 1,
      logger,
      sweepMs: 60_000, // the re-check, not the sweep, must catch this
      turn: async (key) => {
        const r = await outbox.turn(key, 'x');
        if (r.next === 'idle' && !sneaked) {
          // The worst moment: the drain has read an empty outbox but its job is still active.
          sneaked = true;
          await outbox.append(key, ['late']);
          await q.kick(key);
        }
        return r;
      },
    });
    queues.push(q);
    q.start();
    await outbox.append('discord:g:late', ['early']);
    await q.kick('discord:g:late');
    await waitUntil(async () => (await outbox.posted('discord:g:late')).length >= 2, 5000);
    expect(await outbox.posted('discord:g:late')).toEqual(['early', 'late']);
  });

  it('a SIGKILLed process repeats at most its one post in flight; the others finish its channels', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/cluster/fixtures/dying-drainer.ts', redisUrl(), 'd2'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const setup = processOf('d2', 'setup', new Map());
    const channels = Array.from({ length: 4 }, (_, i) => `slack:T:${i}`);
    for (const ch of channels) {
      await setup.outbox.append(ch, Array.from({ length: 5 }, (_, n) => `${ch}#${n}`));
      await setup.q.kick(ch);
    }
    const t0 = Date.now();
    while ((out.match(/posted/g) ?? []).length < 4 && Date.now() - t0 < 20_000) await sleep(50);
    expect((out.match(/posted/g) ?? []).length).toBe(4);
    child.kill('SIGKILL');
    const survivor = processOf('d2', 'survivor', new Map());
    survivor.q.start();
    await waitUntil(async () => (await Promise.all(channels.map((c) => survivor.outbox.posted(c)))).every((l) => l.length >= 6), 20_000);
    for (const ch of channels) {
      // #0 was in flight when the process died: posted once more, and nothing else twice.
      expect(await survivor.outbox.posted(ch)).toEqual([`${ch}#0`, `${ch}#0`, `${ch}#1`, `${ch}#2`, `${ch}#3`, `${ch}#4`]);
    }
  }, 60_000);
});
