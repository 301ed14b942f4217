// DeliveryQueue against a scripted sender: order, bounds, retries, isolation between channels.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channelKey } from '../../../src/domain/records.js';
import { addSub, FakeSender, makeQueue, memoryStore, notice } from './helpers.js';

// Fake timers: backoff, pacing and platform delays run on a clock the test moves, so every
// time bound below is exact, however busy the machine.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** Moves time on until the queue has nothing left to do now or later. */
async function drained(queue: { idle(): Promise<void> }): Promise<void> {
  let done = false;
  void queue.idle().then(() => (done = true));
  for (let i = 0; !done && i < 100_000; i++) await vi.advanceTimersByTimeAsync(5);
  if (!done) throw new Error('the queue never went idle');
}

describe('DeliveryQueue', () => {
  it('delivers each channel oldest first and empties the outbox', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue } = makeQueue(store, [sender]);
    const a = await addSub(store, 'A');
    const b = await addSub(store, 'B');
    // Persist both before sending: the outbox is in memory now, so a kicked channel would
    // already be sending while the second one is written.
    await queue.persist(a, ['1', '2', '3'].map((t) => notice(a, t)));
    await queue.persist(b, ['x', 'y'].map((t) => notice(b, t)));
    expect(queue.pending).toBe(5);
    queue.kick(channelKey(a));
    queue.kick(channelKey(b));
    await drained(queue);
    expect(sender.textsIn('A')).toEqual(['1', '2', '3']);
    expect(sender.textsIn('B')).toEqual(['x', 'y']);
    expect(await store.outbox.channels()).toEqual([]);
    expect(queue.pending).toBe(0);
  });

  it('persists without sending until kicked, and ignores a delivery id it already holds', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue } = makeQueue(store, [sender]);
    const a = await addSub(store, 'A');
    await queue.persist(a, [notice(a, '1')]);
    await queue.persist(a, [notice(a, '1'), notice(a, '2')]);
    await sleep(50);
    expect(sender.attempts).toHaveLength(0);
    expect((await store.outbox.list(channelKey(a))).map((d) => d.id)).toEqual([`${a.id}:1`, `${a.id}:2`]);
    queue.kick(channelKey(a));
    await drained(queue);
    expect(sender.textsIn('A')).toEqual(['1', '2']);
  });

  it('never has more sends in flight than its per-platform bound, and sends one at a time per channel', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue } = makeQueue(store, [sender], { concurrency: { discord: 5 } });
    const subs = [];
    for (let c = 0; c < 30; c++) {
      const s = await addSub(store, `C${c}`);
      subs.push(s);
      sender.delays.set(`C${c}`, 10);
      await queue.enqueue(s, [0, 1, 2].map((i) => notice(s, `m${i}`)));
    }
    await drained(queue);
    expect(sender.maxInFlight).toBe(5);
    expect(sender.sent).toHaveLength(90);
    for (const s of subs) expect(sender.textsIn(s.channelId)).toEqual(['m0', 'm1', 'm2']);
  });

  it('spaces sends evenly when the platform has a requests-per-second limit', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue } = makeQueue(store, [sender], { rates: { discord: 100 } });
    const subs = [];
    for (let c = 0; c < 10; c++) subs.push(await addSub(store, `C${c}`));
    const started = Date.now();
    for (const s of subs) await queue.enqueue(s, [0, 1, 2, 3].map((i) => notice(s, `m${i}`)));
    await drained(queue);
    // 40 sends at 100/s after a burst of 3: at least 370 ms, and no 100 ms holds more than 10 + 3.
    expect(Date.now() - started).toBeGreaterThanOrEqual(360);
    const times = sender.sent.map((s) => s.at);
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 100).length).toBeLessThanOrEqual(13);
  });

  it('takes channels round-robin, so a long backlog does not starve a short one', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue } = makeQueue(store, [sender], { concurrency: { discord: 1 } });
    const big = await addSub(store, 'BIG');
    const small = await addSub(store, 'SMALL');
    await queue.enqueue(big, Array.from({ length: 20 }, (_, i) => notice(big, `b${i}`)));
    await queue.enqueue(small, [notice(small, 's0')]);
    await drained(queue);
    const order = sender.sent.map((s) => s.channelId);
    expect(order.indexOf('SMALL')).toBeLessThanOrEqual(2);
  });

  it('retries with backoff, persisting the attempt count, and delivers in order afterwards', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    sender.scripts.set('A', (n) => (n <= 2 ? { ok: false, kind: 'retry', reason: 'Discord answered 502' } : { ok: true }));
    const { queue, lines } = makeQueue(store, [sender]);
    const a = await addSub(store, 'A');
    await queue.enqueue(a, [notice(a, '1'), notice(a, '2')]);
    await sleep(20);
    expect((await store.outbox.list(channelKey(a)))[0]?.attempts).toBe(1);
    await drained(queue);
    expect(sender.textsIn('A')).toEqual(['1', '2']);
    const retries = lines.filter((l) => l.msg === 'delivery will be retried');
    expect(retries.map((l) => l.attempts)).toEqual([1, 2]);
    // base 50 ms, doubling, up to 20% jitter
    expect(retries[1]!.delayMs as number).toBeGreaterThanOrEqual(100);
    const [first, second, third] = sender.attempts.map((x) => x.at);
    expect(second! - first!).toBeGreaterThanOrEqual(45);
    expect(third! - second!).toBeGreaterThanOrEqual(95);
  });

  it("honours the platform's retryAfterMs (Slack 429 Retry-After)", async () => {
    const store = await memoryStore();
    const sender = new FakeSender('slack');
    sender.scripts.set('S', (n) => (n === 1 ? { ok: false, kind: 'retry', reason: 'rate limited', retryAfterMs: 300 } : { ok: true }));
    const { queue } = makeQueue(store, [sender]);
    const s = await addSub(store, 'S', 'slack');
    await queue.enqueue(s, [notice(s, '1')]);
    await drained(queue);
    const [first, second] = sender.attempts.map((x) => x.at);
    expect(second! - first!).toBeGreaterThanOrEqual(290);
    expect(sender.textsIn('S')).toEqual(['1']);
  });

  it('treats a sender that throws as a transient failure', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    sender.scripts.set('A', (n) => {
      if (n === 1) throw new Error('socket hang up');
      return { ok: true };
    });
    const { queue } = makeQueue(store, [sender]);
    const a = await addSub(store, 'A');
    await queue.enqueue(a, [notice(a, '1')]);
    await drained(queue);
    expect(sender.textsIn('A')).toEqual(['1']);
  });

  it('keeps other channels on time while one channel is slow or failing', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    sender.delays.set('SLOW', 2000);
    sender.scripts.set('FAIL', () => ({ ok: false, kind: 'retry', reason: 'Discord answered 500' }));
    const { queue } = makeQueue(store, [sender], { concurrency: { discord: 2 }, backoff: { baseMs: 5000, maxMs: 5000 } });
    const slow = await addSub(store, 'SLOW');
    const fail = await addSub(store, 'FAIL');
    await queue.enqueue(slow, [notice(slow, '1'), notice(slow, '2')]);
    await queue.enqueue(fail, [notice(fail, '1'), notice(fail, '2')]);
    const started = Date.now();
    for (let c = 0; c < 10; c++) {
      const s = await addSub(store, `OK${c}`);
      await queue.enqueue(s, [notice(s, 'a'), notice(s, 'b')]);
    }
    while (sender.sent.filter((s) => s.channelId.startsWith('OK')).length < 20 && Date.now() - started < 3000) await sleep(5);
    expect(Date.now() - started).toBeLessThan(500);
    expect(sender.textsIn('FAIL')).toEqual([]);
    await Promise.all([queue.stop(100), sleep(100)]);
  });

  it('parks a channel until its pacing hint instead of holding a slot', async () => {
    const store = await memoryStore();
    const sender = new FakeSender('slack');
    const { queue } = makeQueue(store, [sender], { concurrency: { slack: 1 } });
    const paced = await addSub(store, 'PACED', 'slack');
    const free = await addSub(store, 'FREE', 'slack');
    sender.ready.set('PACED', Date.now() + 300);
    await queue.enqueue(paced, [notice(paced, 'p')]);
    await queue.enqueue(free, [notice(free, 'f')]);
    await sleep(100);
    expect(sender.textsIn('FREE')).toEqual(['f']);
    expect(sender.textsIn('PACED')).toEqual([]);
    await drained(queue);
    expect(sender.sent.find((s) => s.channelId === 'PACED')!.at).toBeGreaterThanOrEqual(sender.ready.get('PACED')! - 5);
  });

  it('loses no delivery appended while a failed one records its attempt', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    sender.scripts.set('A', (n) => (n === 1 ? { ok: false, kind: 'retry', reason: 'flaky' } : { ok: true }));
    const { queue } = makeQueue(store, [sender]);
    const a = await addSub(store, 'A');
    await queue.enqueue(a, [notice(a, '0')]);
    // Many appends racing the retry bookkeeping of '0'.
    await Promise.all(Array.from({ length: 20 }, (_, i) => queue.enqueue(a, [notice(a, `n${i}`)])));
    await drained(queue);
    expect(sender.textsIn('A')).toHaveLength(21);
    expect(sender.textsIn('A')[0]).toBe('0');
  });

  it('stops without sending more and resumes pending deliveries, oldest first, on the next start', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    sender.delays.set('A', 50);
    const first = makeQueue(store, [sender]).queue;
    const a = await addSub(store, 'A');
    await first.enqueue(a, ['1', '2', '3', '4', '5'].map((t) => notice(a, t)));
    await sleep(75);
    await Promise.all([first.stop(), sleep(60)]);
    const sentBefore = sender.textsIn('A').length;
    expect(sentBefore).toBeGreaterThanOrEqual(1);
    expect(sentBefore).toBeLessThan(5);
    first.kick(channelKey(a));
    await sleep(120);
    expect(sender.textsIn('A')).toHaveLength(sentBefore);
    const second = makeQueue(store, [sender]).queue;
    await second.resumeAll();
    expect(second.pending).toBe(5 - sentBefore);
    await drained(second);
    expect(sender.textsIn('A')).toEqual(['1', '2', '3', '4', '5']);
  });

  it('keeps the outbox of a platform that is not configured in this run', async () => {
    const store = await memoryStore();
    const { queue } = makeQueue(store, [new FakeSender('discord')]);
    const s = await addSub(store, 'S', 'slack');
    await queue.enqueue(s, [notice(s, '1')]);
    await drained(queue);
    expect(await store.outbox.list(channelKey(s))).toHaveLength(1);
  });
});
