// Slack's per-channel rule, as the runtime's Pacer holds it (in memory here; the runtime
// contract suite runs it against Redis too).
import { describe, expect, it } from 'vitest';
import { MemoryPacer } from '../../../src/core/limits/pacer.js';
import { SLACK_CHANNEL_PACE as rule } from '../../../src/platforms/slack/pacing.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('SLACK_CHANNEL_PACE', () => {
  it('allows a burst of 3, then one message per 1050 ms per channel (a little under Slack’s 1/s)', async () => {
    const c = clock();
    const p = new MemoryPacer(c);
    expect([await p.take('A', rule), await p.take('A', rule), await p.take('A', rule)]).toEqual([0, 0, 0]);
    expect(await p.readyAt('A', rule)).toBe(c.now() + 1050);
    // Spent: take() takes nothing and says how long.
    expect(await p.take('A', rule)).toBe(1050);
    expect(await p.take('A', rule)).toBe(1050);
    // Another channel has its own bucket.
    expect(await p.take('B', rule)).toBe(0);
    c.advance(1050);
    expect(await p.readyAt('A', rule)).toBeLessThanOrEqual(c.now());
    expect(await p.take('A', rule)).toBe(0);
    expect(await p.take('A', rule)).toBe(1050);
  });

  it('refills to the burst size at most', async () => {
    const c = clock();
    const p = new MemoryPacer(c);
    await p.take('A', rule);
    c.advance(60_000);
    expect([await p.take('A', rule), await p.take('A', rule), await p.take('A', rule), await p.take('A', rule)]).toEqual([0, 0, 0, 1050]);
  });
});
