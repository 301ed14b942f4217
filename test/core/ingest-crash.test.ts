// Issue 10, item 3: a crash between writing the outbox and recording the seen ids. The
// store "dies" at the seen write (it throws and is abandoned); Herald restarts on the
// same SQLite file, sends what is pending, polls the same feed again: no item twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ingest } from '../../src/core/ingest.js';
import type { FeedItem, ParsedFeed } from '../../src/core/types.js';
import { createStore, type Store } from '../../src/store/index.js';
import { FakeSender, makeQueue } from './deliver/helpers.js';

const items = (n: number): FeedItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `g:${i + 1}`, title: `Item ${i + 1}`, link: `https://example.com/${i + 1}`, categories: [], images: [], index: n - 1 - i }));
const parsed = (its: FeedItem[]): ParsedFeed => ({ title: 'Example', link: 'https://example.com/', items: its });

let dir: string;
const open: Store[] = [];
const openStore = async () => {
  const s = await createStore(`sqlite://${join(dir, 'h.sqlite')}`, 'crash');
  open.push(s);
  return s;
};
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'herald-crash-'))));
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

it('posts each item once after a crash between the outbox write and the seen record', async () => {
  let store = await openStore();
  const feed = { ...(await store.feeds.ensure('https://example.com/feed.xml', 1)), initialized: true };
  await store.feeds.update(feed);
  const channels = ['A', 'B'];
  for (const [i, channelId] of channels.entries()) {
    await store.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId, feedId: feed.id, feedUrl: feed.url, createdBy: 'u', createdAt: i, paused: false, state: 'active' });
  }
  await store.seen.record(feed.id, [], items(1).map((i) => i.id));

  // The first run: three new items; the store dies as the seen ids are written.
  const before = makeQueue(store, [new FakeSender()]);
  store.seen.record = async () => {
    throw new Error('simulated crash');
  };
  await expect(ingest(feed, parsed(items(4)), { store, queue: before.queue, maxItemsPerPoll: 10, now: Date.now })).rejects.toThrow('simulated crash');
  await before.queue.stop();
  expect((await store.outbox.list('discord:A')).map((d) => d.itemId)).toEqual(['g:2', 'g:3', 'g:4']);

  // Restart: pending deliveries go out, then the next poll sees the same feed.
  store = await openStore();
  const sender = new FakeSender();
  const { queue } = makeQueue(store, [sender]);
  await queue.resumeAll();
  await queue.idle();
  const again = await ingest(store.feeds.get(feed.id)!, parsed(items(4)), { store, queue, maxItemsPerPoll: 10, now: Date.now });
  await queue.idle();
  expect(again).toBe(0);
  for (const channelId of channels) expect(sender.textsIn(channelId)).toEqual(['Item 2', 'Item 3', 'Item 4']);
  // And a truly new item still arrives, once.
  expect(await ingest(store.feeds.get(feed.id)!, parsed(items(5)), { store, queue, maxItemsPerPoll: 10, now: Date.now })).toBe(1);
  await queue.idle();
  for (const channelId of channels) expect(sender.textsIn(channelId)).toEqual(['Item 2', 'Item 3', 'Item 4', 'Item 5']);
  await queue.stop();
});

it('writes one poll\'s deliveries for every channel in one batch, so a crash keeps all or none', async () => {
  const store = await openStore();
  const feed = { ...(await store.feeds.ensure('https://example.com/feed.xml', 1)), initialized: true };
  await store.feeds.update(feed);
  for (const channelId of ['A', 'B', 'C']) {
    await store.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId, feedId: feed.id, feedUrl: feed.url, createdBy: 'u', createdAt: 1, paused: false, state: 'active' });
  }
  const batches: number[] = [];
  const setMany = store.keyv.setMany.bind(store.keyv);
  store.keyv.setMany = ((entries: never[]) => (batches.push(entries.length), setMany(entries))) as typeof store.keyv.setMany;
  const { queue } = makeQueue(store, []);
  await ingest(feed, parsed(items(2)), { store, queue, maxItemsPerPoll: 10, now: Date.now });
  expect(batches).toEqual([6]);
  await queue.stop();
});
