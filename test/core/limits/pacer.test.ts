// The one pacing rule (GCRA) behind every rate in Herald: platform rates, Slack's per-channel
// pace, Discord's bucket holds. Fake clock, counts only.
import { describe, expect, it } from 'vitest';
import { MemoryPacer, ratePace, DISCORD_PER_SECOND } from '../../../src/core/limits/pacer.js';

function clock() {
  let t = 5_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('MemoryPacer', () => {
  it('starts at most rate + burst sends in any one-second window at 45/s', () => {
    const c = clock();
    const p = new MemoryPacer(c);
    const rule = ratePace(DISCORD_PER_SECOND);
    const starts: number[] = [];
    // Ask every millisecond for 5 s, as a crowd of channels would.
    for (let i = 0; i < 5000; i++, c.advance(1)) if (p.takeNow('bot', rule) === 0) starts.push(c.now());
    for (const s of starts) expect(starts.filter((t) => t >= s && t < s + 1000).length).toBeLessThanOrEqual(DISCORD_PER_SECOND + 3);
    expect(starts.length).toBeGreaterThanOrEqual(5 * DISCORD_PER_SECOND);
  });

  it('reserve() queues requests already on their way: each gets its own start, 45 + 3 per second at most', () => {
    const c = clock();
    const p = new MemoryPacer(c);
    const rule = ratePace(DISCORD_PER_SECOND);
    // 200 requests arrive at once: each sleeps until the start it was given.
    const starts = Array.from({ length: 200 }, () => c.now() + p.reserveNow('bot', rule));
    expect(starts.slice(0, 3)).toEqual([c.now(), c.now(), c.now()]);
    for (const s of starts) expect(starts.filter((t) => t >= s && t < s + 1000).length).toBeLessThanOrEqual(DISCORD_PER_SECOND + 3);
    // A hold (a platform said "empty until t") comes first.
    p.hold('held', c.now() + 500);
    expect(p.reserveNow('held', rule)).toBe(500);
  });

  it('holds a key until the time a platform gave, and never shortens a hold', async () => {
    const c = clock();
    const p = new MemoryPacer(c);
    await p.hold('ch', c.now() + 800);
    await p.hold('ch', c.now() + 100);
    expect(await p.readyAt('ch')).toBe(c.now() + 800);
    expect(await p.readyAt('other')).toBeLessThanOrEqual(c.now());
    c.advance(800);
    expect(await p.readyAt('ch')).toBeLessThanOrEqual(c.now());
  });

  it('take() when spent takes nothing: asking again does not push the key further out', async () => {
    const c = clock();
    const p = new MemoryPacer(c);
    const rule = { intervalMs: 100, burst: 1 };
    expect(await p.take('k', rule)).toBe(0);
    for (let i = 0; i < 10; i++) expect(await p.take('k', rule)).toBe(100);
    c.advance(100);
    expect(await p.take('k', rule)).toBe(0);
  });
});
