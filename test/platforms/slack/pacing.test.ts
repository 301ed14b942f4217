import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../../src/platforms/slack/pacing.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ChannelPacer', () => {
  it('allows a burst of 3, then one message per second per channel', () => {
    const c = clock();
    const p = new ChannelPacer({ now: c.now, intervalMs: 1000 });
    expect([p.reserve('A'), p.reserve('A'), p.reserve('A')]).toEqual([0, 0, 0]);
    expect(p.readyAt('A')).toBe(c.now() + 1000);
    expect(p.reserve('A')).toBe(1000);
    // Another channel has its own bucket.
    expect(p.reserve('B')).toBe(0);
    c.advance(2000);
    expect(p.readyAt('A')).toBe(c.now());
    expect(p.reserve('A')).toBe(0);
    expect(p.reserve('A')).toBe(1000);
  });

  it('refills to the burst size at most', () => {
    const c = clock();
    const p = new ChannelPacer({ now: c.now, intervalMs: 1000 });
    p.reserve('A');
    c.advance(60_000);
    expect([p.reserve('A'), p.reserve('A'), p.reserve('A'), p.reserve('A')]).toEqual([0, 0, 0, 1000]);
  });

  it('take() sleeps for the debt when called before readyAt', async () => {
    const c = clock();
    const slept: number[] = [];
    const p = new ChannelPacer({ now: c.now, intervalMs: 1000, burst: 1, sleep: async (ms) => void slept.push(ms) });
    await p.take('A');
    await p.take('A');
    expect(slept).toEqual([1000]);
  });
});

describe('ChannelPacer default', () => {
  it('paces a little under Slack’s 1 message per second per channel', () => {
    const c = clock();
    const p = new ChannelPacer({ now: c.now });
    expect([p.reserve('A'), p.reserve('A'), p.reserve('A')]).toEqual([0, 0, 0]);
    expect(p.reserve('A')).toBe(1050);
  });
});
