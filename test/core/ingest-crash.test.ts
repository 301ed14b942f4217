// Issue 10 item 3, issue 14: a process killed while a poll is written. The poll's deliveries
// and the feed's seen ids are one write (store.commitPoll), so a kill keeps all or none of
// it. The store "dies" at a write (it throws and is abandoned); Herald restarts on the
// same SQLite file, sends what is pending, polls the same feed again: no item twice or never.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { deliveriesFor, ingest } from '../../src/core/ingest.js';
import type { FeedItem, ParsedFeed } from '../../src/domain/types.js';
import { createStore, type Delivery, type Store } from '../../src/store/index.js';
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

async function setUp(channels: string[]) {
  const store = await openStore();
  const feed = { ...(await store.feeds.ensure('https://example.com/feed.xml', 1)), initialized: true };
  await store.feeds.update(feed);
  for (const [i, channelId] of channels.entries()) {
    await store.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId, feedId: feed.id, feedUrl: feed.url, createdBy: 'u', createdAt: i, paused: false, state: 'active' });
  }
  await store.seen.record(feed.id, [], items(1).map((i) => i.id));
  return { store, feed };
}

/** The adapter lets `survive` writes through, then every write fails: the process is gone. */
function dieAfter(store: Store, survive: number) {
  const adapter = store.keyv.store as Record<'set' | 'setMany' | 'delete' | 'deleteMany', (...args: never[]) => Promise<unknown>>;
  let left = survive;
  for (const name of ['set', 'setMany', 'delete', 'deleteMany'] as const) {
    const real = adapter[name].bind(adapter);
    adapter[name] = ((...args: never[]) => (left-- > 0 ? real(...args) : Promise.reject(new Error('simulated crash')))) as never;
  }
}

/** Restart on the same file, send what is pending, then poll the same feed again. */
async function restartAndRepoll(feedId: string, its: FeedItem[]) {
  const store = await openStore();
  const sender = new FakeSender();
  const { queue } = makeQueue(store, [sender]);
  await queue.resumeAll();
  await queue.idle();
  const again = await ingest(store.feeds.get(feedId)!, parsed(its), { store, queue, maxItemsPerPoll: 10, now: Date.now });
  await queue.idle();
  return { store, sender, queue, again };
}

it('a kill right after the poll\'s write leaves deliveries and seen ids together: each item posts once', async () => {
  const channels = ['A', 'B'];
  const { store, feed } = await setUp(channels);
  const before = makeQueue(store, []);
  // One write survives: with separate writes that would be the outbox alone.
  dieAfter(store, 1);
  expect(await ingest(feed, parsed(items(4)), { store, queue: before.queue, maxItemsPerPoll: 10, now: Date.now })).toBe(3);
  await before.queue.stop();
  // Read through the dead store (reads still work), before a restart could repair the seen list.
  expect((await store.outbox.list('discord:A')).map((d) => d.itemId)).toEqual(['g:2', 'g:3', 'g:4']);
  expect(await store.keyv.get(`seen:${feed.id}`)).toEqual(expect.arrayContaining(['g:2', 'g:3', 'g:4']));

  const { sender, queue, again } = await restartAndRepoll(feed.id, items(4));
  expect(again).toBe(0);
  for (const channelId of channels) expect(sender.textsIn(channelId)).toEqual(['Item 2', 'Item 3', 'Item 4']);
  await queue.stop();
});

it('a kill during the poll\'s write leaves neither: the next poll finds the items new and posts each once', async () => {
  const channels = ['A', 'B'];
  const { store, feed } = await setUp(channels);
  const before = makeQueue(store, []);
  dieAfter(store, 0);
  await expect(ingest(feed, parsed(items(4)), { store, queue: before.queue, maxItemsPerPoll: 10, now: Date.now })).rejects.toThrow('simulated crash');
  await before.queue.stop();

  const { sender, queue, again } = await restartAndRepoll(feed.id, items(4));
  expect(again).toBe(3);
  for (const channelId of channels) expect(sender.textsIn(channelId)).toEqual(['Item 2', 'Item 3', 'Item 4']);
  await queue.stop();
});

it('an outbox left by an older Herald (deliveries written, seen ids not) is marked seen at start: no item twice', async () => {
  const channels = ['A', 'B'];
  const { store, feed } = await setUp(channels);
  // What a crash between the two writes of an older Herald left behind.
  const subs = store.subscriptions.listByFeed(feed.id);
  for (const sub of subs) {
    const ds: Delivery[] = deliveriesFor(sub, feed, parsed(items(4)), items(4).slice(1), { maxItemsPerPoll: 10, now: Date.now });
    await store.outbox.append(`discord:${sub.channelId}`, ds);
  }
  const { store: after, sender, queue, again } = await restartAndRepoll(feed.id, items(4));
  expect(again).toBe(0);
  for (const channelId of channels) expect(sender.textsIn(channelId)).toEqual(['Item 2', 'Item 3', 'Item 4']);
  // And a truly new item still arrives, once.
  expect(await ingest(after.feeds.get(feed.id)!, parsed(items(5)), { store: after, queue, maxItemsPerPoll: 10, now: Date.now })).toBe(1);
  await queue.idle();
  for (const channelId of channels) expect(sender.textsIn(channelId)).toEqual(['Item 2', 'Item 3', 'Item 4', 'Item 5']);
  await queue.stop();
});

it("writes one poll's deliveries for every channel and the seen ids in one batch", async () => {
  const { store, feed } = await setUp(['A', 'B', 'C']);
  const batches: string[][] = [];
  const setMany = store.keyv.setMany.bind(store.keyv);
  const set = store.keyv.set.bind(store.keyv);
  store.keyv.setMany = ((entries: { key: string }[]) => (batches.push(entries.map((e) => e.key)), setMany(entries as never))) as typeof store.keyv.setMany;
  store.keyv.set = ((key: string, value: unknown) => (batches.push([key]), set(key, value))) as typeof store.keyv.set;
  const { queue } = makeQueue(store, []);
  await ingest(feed, parsed(items(3)), { store, queue, maxItemsPerPoll: 10, now: Date.now });
  expect(batches).toHaveLength(1);
  expect(batches[0]).toHaveLength(7);
  expect(batches[0]).toContain(`seen:${feed.id}`);
  await queue.stop();
});
