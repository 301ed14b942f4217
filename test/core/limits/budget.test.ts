import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../../src/core/limits/budget.js';

describe('TokenBuckets', () => {
  it('grants a full bucket, then refills at the rate, per key', () => {
    let now = 0;
    const b = new TokenBuckets(10, 60, () => now); // 10 at once, one a second
    expect(b.takeUpTo('a', 4)).toBe(4);
    expect(b.takeUpTo('a', 10)).toBe(6);
    expect(b.takeUpTo('a', 1)).toBe(0);
    expect(b.takeUpTo('b', 10)).toBe(10); // another tenant has its own
    expect(b.msUntilToken('a')).toBe(1000);
    now += 2500;
    expect(b.takeUpTo('a', 5)).toBe(2);
    expect(b.msUntilToken('a')).toBe(500);
    now += 60_000;
    expect(b.takeUpTo('a', 20)).toBe(10); // never more than the capacity
  });

  it('takes back unused tokens up to the capacity', () => {
    const b = new TokenBuckets(5, 5, () => 0);
    expect(b.takeUpTo('a', 5)).toBe(5);
    b.giveBack('a', 3);
    expect(b.takeUpTo('a', 5)).toBe(3);
    b.giveBack('a', 50);
    expect(b.takeUpTo('a', 50)).toBe(5);
  });
});
