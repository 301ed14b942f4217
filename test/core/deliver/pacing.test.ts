import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../src/core/deliver/pacing.js';

const retry = (retryAfterMs?: number) => ({ ok: false as const, kind: 'retry' as const, reason: 'x', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

describe('retryDelayMs', () => {
  const noJitter = { baseMs: 1000, maxMs: 300_000, random: () => 0 };
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(retry(), a, noJitter))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(retry(), 30, noJitter)).toBe(300_000);
  });
  it('adds at most 20% jitter', () => {
    expect(retryDelayMs(retry(), 1, { ...noJitter, random: () => 0.999 })).toBeLessThanOrEqual(1200);
  });
  it("uses the platform's Retry-After when given", () => {
    expect(retryDelayMs(retry(7000), 5, noJitter)).toBe(7000);
  });
});
