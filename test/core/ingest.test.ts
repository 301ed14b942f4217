import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import type { DeliveryQueue } from '../../src/core/deliver/queue.js';
import { deliveriesFor, ingest } from '../../src/core/ingest.js';
import type { FeedItem, ParsedFeed } from '../../src/domain/types.js';
import type { Delivery, FeedRecord, SubscriptionRecord } from '../../src/domain/records.js';
import { memoryStore } from './deliver/helpers.js';

const NOW = 1_700_000_000_000;
const feed: FeedRecord = { id: 'f1', url: 'https://example.com/feed.xml', title: 'Example &amp; Co', nextCheckAt: 0, failures: 0, initialized: true };
const sub: SubscriptionRecord = {
  id: 's1', feedId: 'f1', feedUrl: feed.url, platform: 'discord', workspaceId: 'g1', channelId: 'c1',
  createdBy: 'u1', createdAt: 0, paused: false, state: 'active',
};
/** n items, oldest first, as newItems() hands them over. */
const items = (n: number): FeedItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `g:${i + 1}`, title: `Item ${i + 1}`, link: `https://example.com/${i + 1}`, categories: [], images: [], index: n - 1 - i }));
const parsed = (its: FeedItem[], link: string | null = 'https://example.com/'): ParsedFeed => ({ title: 'Example', ...(link ? { link } : {}), items: its });
const deps = (maxItemsPerPoll: number) => ({ maxItemsPerPoll, now: () => NOW });
const titles = (ds: Delivery[]) => ds.map((d) => (d.message.kind === 'item' ? d.message.title : `notice: ${d.message.text}`));

describe('deliveriesFor flood control', () => {
  it('queues everything, oldest first, while under the cap', () => {
    const ds = deliveriesFor(sub, feed, parsed(items(3)), items(3), deps(10));
    expect(titles(ds)).toEqual(['Item 1', 'Item 2', 'Item 3']);
    expect(ds[0]).toMatchObject({ id: 's1:g:1', subscriptionId: 's1', feedId: 'f1', itemId: 'g:1', seenAt: NOW, attempts: 0 });
  });

  it('adds no notice at exactly the cap', () => {
    expect(titles(deliveriesFor(sub, feed, parsed(items(10)), items(10), deps(10)))).toHaveLength(10);
  });

  it('keeps the newest MAX_ITEMS_PER_POLL and ends with a notice naming the skipped count and the feed link', () => {
    const ds = deliveriesFor(sub, feed, parsed(items(25)), items(25), deps(10));
    expect(ds).toHaveLength(11);
    expect(titles(ds).slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `Item ${i + 16}`));
    expect(ds[10]).toEqual({
      id: `s1:flood:${NOW}`,
      subscriptionId: 's1',
      feedId: 'f1',
      seenAt: NOW,
      attempts: 0,
      message: { kind: 'notice', text: '15 more new items from Example & Co skipped to avoid flooding this channel: https://example.com/' },
    });
  });

  it('says "1 more new item" one over the cap, and falls back to the feed URL without a site link', () => {
    const ds = deliveriesFor(sub, feed, parsed(items(11), null), items(11), deps(10));
    expect(ds.at(-1)?.message).toEqual({ kind: 'notice', text: '1 more new item from Example & Co skipped to avoid flooding this channel: https://example.com/feed.xml' });
  });

  it('counts only items that pass the filter', () => {
    const filtered = { ...sub, filter: { include: [], exclude: ['/Item [0-9]$/'], field: 'title' as const } };
    const ds = deliveriesFor(filtered, feed, parsed(items(15)), items(15), deps(5));
    // Items 10–15 pass (6 of them): the newest 5 go out and 1 is reported skipped.
    expect(titles(ds)).toEqual(['Item 11', 'Item 12', 'Item 13', 'Item 14', 'Item 15', expect.stringMatching(/^notice: 1 more new item from/)]);
  });

  it('renders the subscription template into each item', () => {
    const ds = deliveriesFor({ ...sub, template: '{title}: {link}' }, feed, parsed(items(1)), items(1), deps(10));
    expect(ds[0]?.message).toMatchObject({ kind: 'item', templateText: 'Item 1: https://example.com/1' });
  });
});

describe('ingest with the cap', () => {
  it('persists the capped deliveries plus the notice for each active subscription', async () => {
    const store = await memoryStore(new Keyv());
    const kicked: string[] = [];
    // Only the method ingest calls (it writes through store.commitPoll); the real queue is covered by the deliver tests.
    const queue = { kick: (k: string) => void kicked.push(k) } as unknown as DeliveryQueue;
    await store.subscriptions.add(sub);
    await store.seen.record(feed.id, [], []);
    const count = await ingest(feed, parsed(items(30).reverse()), { store, queue, maxItemsPerPoll: 10, now: () => NOW });
    expect(count).toBe(30);
    const persisted = await store.outbox.list('discord:c1');
    expect(persisted).toHaveLength(11);
    expect(persisted.at(-1)?.message).toMatchObject({ kind: 'notice', text: expect.stringContaining('20 more new items') });
    expect(kicked).toEqual(['discord:c1']);
  });
});

describe('ingest for blocked and paused subscriptions', () => {
  it('keeps new items for a blocked subscription (sent after resume), none for a paused one', async () => {
    const store = await memoryStore(new Keyv());
    const kicked: string[] = [];
    const queue = { kick: (k: string) => void kicked.push(k) } as unknown as DeliveryQueue;
    await store.subscriptions.add({ ...sub, id: 'blk', channelId: 'blocked', state: 'blocked', blockedReason: 'missing access' });
    await store.subscriptions.add({ ...sub, id: 'psd', channelId: 'paused', paused: true });
    await store.seen.record(feed.id, [], []);
    expect(await ingest(feed, parsed(items(2)), { store, queue, maxItemsPerPoll: 10, now: () => NOW })).toBe(2);
    expect(await store.outbox.channels()).toEqual(['discord:blocked']);
    expect(titles(await store.outbox.list('discord:blocked'))).toEqual(['Item 1', 'Item 2']);
    // Kicked so the queue can drop what outlived DELIVERY_MAX_AGE; it sends nothing while blocked.
    expect(kicked).toEqual(['discord:blocked']);
  });
});
