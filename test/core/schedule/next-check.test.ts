import { describe, expect, it } from 'vitest';
import { firstCheck, nextDue, spreadDue } from '../../../src/core/schedule/next-check.js';

describe('next check times', () => {
  it('counts the next check from the previous due time, not from when the poll ran', () => {
    expect(nextDue(10_000, 10_040, 1000)).toBe(11_000);
    // A feed hint (ttl, Cache-Control) lengthens the interval from the same base.
    expect(nextDue(10_000, 10_040, 2000)).toBe(12_000);
  });

  it('starts a new phase after a poll more than an interval late: no burst of catch-up polls', () => {
    expect(nextDue(10_000, 25_000, 1000)).toBe(26_000);
  });

  it('counts a poll ahead of its due time (/feeds resume) from its start', () => {
    expect(nextDue(50_000, 10_000, 1000)).toBe(11_000);
  });

  it('spreads phases once: a new feed within 10% past one interval, an overdue one within one interval at start', () => {
    expect(firstCheck(0, 1000, () => 0)).toBe(1000);
    expect(firstCheck(0, 1000, () => 0.999)).toBe(1099);
    expect(spreadDue(100, 5000, 1000, () => 0.5)).toBe(5500);
    expect(spreadDue(9000, 5000, 1000, () => 0.5)).toBe(9000);
  });
});
