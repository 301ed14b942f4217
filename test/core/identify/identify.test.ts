import { describe, expect, it } from 'vitest';
import { assignIds, itemId, newItems, oldestFirst } from '../../../src/core/identify/index.js';
import type { FeedItem } from '../../../src/domain/types.js';

const base = { categories: [], images: [], index: 0 };

describe('item identity', () => {
  it('prefers guid, then link, then a content hash', () => {
    expect(itemId({ ...base, title: 't', guid: 'abc', link: 'https://x/1' })).toBe('g:abc');
    expect(itemId({ ...base, title: 't', link: 'https://x/1' })).toBe('l:https://x/1');
    const h1 = itemId({ ...base, title: 't', date: '2026-01-01T00:00:00.000Z', contentHtml: 'a' });
    const h2 = itemId({ ...base, title: 't', date: '2026-01-01T00:00:00.000Z', contentHtml: 'b' });
    expect(h1).toMatch(/^h:[0-9a-f]{24}$/);
    expect(h1).not.toBe(h2);
    expect(itemId({ ...base, title: 't', date: '2026-01-01T00:00:00.000Z', contentHtml: 'a' })).toBe(h1);
  });

  it('treats a blank guid as missing', () => {
    expect(itemId({ ...base, title: 't', guid: '  ', link: 'https://x/2' })).toBe('l:https://x/2');
  });

  it('drops repeated ids inside one document', () => {
    const items = assignIds([
      { ...base, title: 'a', guid: '1' },
      { ...base, title: 'a again', guid: '1', index: 1 },
      { ...base, title: 'b', guid: '2', index: 2 },
    ]);
    expect(items.map((i) => i.title)).toEqual(['a', 'b']);
  });
});

describe('dedupe and order', () => {
  const item = (id: string, index: number, date?: string): FeedItem => ({ ...base, id, title: id, index, ...(date ? { date } : {}) });

  it('returns only unseen items, oldest first by date', () => {
    const items = [item('c', 0, '2026-01-03T00:00:00Z'), item('b', 1, '2026-01-02T00:00:00Z'), item('a', 2, '2026-01-01T00:00:00Z')];
    expect(newItems(items, ['a']).map((i) => i.id)).toEqual(['b', 'c']);
  });

  it('orders undated items by reversed document order (feeds list newest first)', () => {
    expect(oldestFirst([item('new', 0), item('mid', 1), item('old', 2)]).map((i) => i.id)).toEqual(['old', 'mid', 'new']);
  });

  it('keeps document order for equal dates', () => {
    const d = '2026-01-01T00:00:00Z';
    expect(oldestFirst([item('second', 0, d), item('first', 1, d)]).map((i) => i.id)).toEqual(['first', 'second']);
  });
});
