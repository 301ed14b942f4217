// Digest periods and digest messages, without a platform.
import { describe, expect, it } from 'vitest';
import { buildDigest, DIGEST_MAX_LINES, digestDueAt, parseTimeOfDay } from '../../../src/core/deliver/digest.js';
import { parseDigest } from '../../../src/core/manage/delivery.js';
import type { Delivery } from '../../../src/domain/records.js';
import { item } from '../../platforms/sample-model.js';

const delivery = (n: number): Delivery => ({ id: `s:${n}`, subscriptionId: 's', feedId: 'f', itemId: `${n}`, seenAt: n, attempts: 0, message: item({ title: `Item ${n}`, link: `https://example.com/${n}` }) });

describe('digest periods', () => {
  it('ends a period every `everyMs` from when the digest was turned on', () => {
    const s = { everyMs: 60_000, since: 1_000_000 };
    expect(digestDueAt(s, 1_000_000)).toBe(1_060_000);
    expect(digestDueAt(s, 1_059_999)).toBe(1_060_000);
    expect(digestDueAt(s, 1_060_000)).toBe(1_120_000);
  });

  it('with at:HH:MM, periods end at that time of day (UTC)', () => {
    const day = Date.UTC(2026, 0, 10);
    const s = { everyMs: 86_400_000, at: '08:00', since: 0 };
    expect(digestDueAt(s, day + 3_600_000)).toBe(day + 8 * 3_600_000); // 01:00 → 08:00 the same day
    expect(digestDueAt(s, day + 9 * 3_600_000)).toBe(day + 32 * 3_600_000); // 09:00 → 08:00 the next day
    expect(digestDueAt({ ...s, everyMs: 6 * 3_600_000 }, day + 9 * 3_600_000)).toBe(day + 14 * 3_600_000);
  });

  it('parses and checks the command values', () => {
    expect(parseTimeOfDay('8:05')).toBe((8 * 60 + 5) * 60_000);
    expect(parseTimeOfDay('24:00')).toBeUndefined();
    expect(parseDigest('10s', undefined, 5)).toEqual({ everyMs: 10_000, since: 5 });
    expect(parseDigest('1d', '08:00', 5)).toEqual({ everyMs: 86_400_000, at: '08:00', since: 5 });
    expect(() => parseDigest('9s', undefined, 0)).toThrow(/at least 10s/);
    expect(() => parseDigest('soon', undefined, 0)).toThrow(/not a period/);
    expect(() => parseDigest('1h', '8am', 0)).toThrow(/HH:MM/);
  });
});

describe('digest messages', () => {
  it('lists the newest 25 oldest first and counts the rest', () => {
    const d = buildDigest(Array.from({ length: 37 }, (_, i) => delivery(i + 1)))!;
    expect(d.lines).toHaveLength(DIGEST_MAX_LINES);
    expect(d.lines[0]!.title).toBe('Item 13');
    expect(d.lines.at(-1)!.title).toBe('Item 37');
    expect(d.more).toBe(12);
  });

  it('skips notices and makes nothing of nothing', () => {
    expect(buildDigest([])).toBeUndefined();
    expect(buildDigest([{ ...delivery(1), message: { kind: 'notice', text: 'x' } }])).toBeUndefined();
  });
});
