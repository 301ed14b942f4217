import { describe, expect, it } from 'vitest';
import { ReplayCache } from '../../../src/platforms/slack/replay-cache.js';

describe('ReplayCache', () => {
  it('remembers a signature for the window, forgets it after, and stays bounded', () => {
    const c = new ReplayCache(3, 1000);
    expect(c.firstSeen('a', 0)).toBe(true);
    expect(c.firstSeen('a', 500)).toBe(false);
    expect(c.firstSeen('a', 1001)).toBe(true);
    for (const s of ['b', 'c', 'd', 'e']) c.firstSeen(s, 1002);
    expect(c.size).toBe(3);
  });
});
