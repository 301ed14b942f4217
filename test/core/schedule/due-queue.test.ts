import { describe, expect, it } from 'vitest';
import { DueHeap } from '../../../src/core/schedule/due-queue.js';
import { HostLimiter } from '../../../src/core/limits/host-slots.js';

describe('DueHeap', () => {
  it('pops in due order through random adds, moves and deletes, and counts the due ones', () => {
    const heap = new DueHeap();
    const model = new Map<string, number>();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 5000; i++) {
      const id = `f${Math.floor(rnd() * 800)}`;
      const op = rnd();
      if (op < 0.7) {
        const t = Math.floor(rnd() * 10_000);
        heap.set(id, t);
        model.set(id, t);
      } else {
        expect(heap.delete(id)).toBe(model.delete(id));
      }
      if (i % 500 === 0) {
        const t = Math.floor(rnd() * 10_000);
        expect(heap.due(t).count).toBe([...model.values()].filter((v) => v <= t).length);
      }
    }
    expect(heap.size).toBe(model.size);
    expect(heap.dueOf('f1')).toBe(model.get('f1'));
    const popped: number[] = [];
    for (let e = heap.pop(); e; e = heap.pop()) {
      expect(model.get(e.id)).toBe(e.dueAt);
      popped.push(e.dueAt);
    }
    expect(popped).toEqual([...model.values()].sort((a, b) => a - b));
  });
});

describe('HostLimiter', () => {
  it('gives each host at most perHost slots, frees them on release, and pauses a host until a time', () => {
    const l = new HostLimiter(2);
    expect([l.tryAcquire('a', 0), l.tryAcquire('a', 0), l.tryAcquire('a', 0), l.tryAcquire('b', 0)]).toEqual([true, true, false, true]);
    l.release('a');
    expect(l.tryAcquire('a', 0)).toBe(true);
    l.release('b');
    l.pause('b', 1000);
    l.pause('b', 500); // a shorter pause never cuts a longer one
    expect(l.tryAcquire('b', 999)).toBe(false);
    expect(l.pausedUntil('b', 999)).toBe(1000);
    expect(l.tryAcquire('b', 1000)).toBe(true);
  });
});
