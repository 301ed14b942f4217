// Issue 14: processes sharing one Redis store, one killed while it writes a poll. The survivor
// is already running (no start-up repair runs for it), drains the channels and polls the feed
// next. A poll's deliveries and seen ids are one MULTI (store.commitPoll), so the kill keeps
// all or none of it: every item is posted once, none twice and none never.
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ingest } from '../../src/core/ingest.js';
import type { FeedItem, ParsedFeed } from '../../src/domain/types.js';
import { createStore, type FeedRecord, type Store } from '../../src/store/index.js';
import { FakeSender, makeQueue } from '../core/deliver/helpers.js';
import { describeRedis, freshDb, redisUrl } from './redis-db.js';

/** This file's private server is its own: db 0, named so MONITOR's lines can be filtered by it. */
const DB = 0;
const items = (n: number): FeedItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `g:${i + 1}`, title: `Item ${i + 1}`, link: `https://example.com/${i + 1}`, categories: [], images: [], index: n - 1 - i }));
const parsed = (its: FeedItem[]): ParsedFeed => ({ title: 'Example', link: 'https://example.com/', items: its });
const channels = ['A', 'B'];

/** From now on the adapter lets `survive` writes through, then every write fails: the process is gone. */
function dieAfter(store: Store, survive: number) {
  const adapter = store.keyv.store as Record<'set' | 'setMany' | 'delete' | 'deleteMany', (...args: never[]) => Promise<unknown>>;
  let left = survive;
  for (const name of ['set', 'setMany', 'delete', 'deleteMany'] as const) {
    const real = adapter[name].bind(adapter);
    adapter[name] = ((...args: never[]) => (left-- > 0 ? real(...args) : Promise.reject(new Error('simulated kill')))) as never;
  }
}

describeRedis('a poll killed mid-write in a cluster', () => {
  let redis: Redis;
  const open: Store[] = [];
  const openStore = async () => {
    const s = await createStore(redisUrl(DB), 'poll-commit', { cluster: true });
    open.push(s);
    return s;
  };
  let feed: FeedRecord;
  beforeEach(async () => {
    redis = await freshDb(DB);
    const setup = await openStore();
    feed = { ...(await setup.feeds.ensure('https://example.com/feed.xml', 1)), initialized: true };
    await setup.feeds.update(feed);
    for (const [i, channelId] of channels.entries()) {
      await setup.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId, feedId: feed.id, feedUrl: feed.url, createdBy: 'u', createdAt: i, paused: false, state: 'active' });
    }
    await setup.seen.record(feed.id, [], items(1).map((i) => i.id));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await redis.flushdb();
    redis.disconnect();
  });

  /** Process A polls and is killed after `survive` writes; B, running all along, drains and polls next. */
  async function killThenSurvivorPolls(survive: number) {
    const [a, b] = [await openStore(), await openStore()];
    const dying = makeQueue(a, []);
    dieAfter(a, survive);
    await ingest(feed, parsed(items(4)), { store: a, queue: dying.queue, maxItemsPerPoll: 10, now: Date.now }).catch(() => undefined);
    await dying.queue.stop();
    const sender = new FakeSender();
    const { queue } = makeQueue(b, [sender]);
    await queue.resumeAll();
    await queue.idle();
    const found = await ingest(b.feeds.get(feed.id)!, parsed(items(4)), { store: b, queue, maxItemsPerPoll: 10, now: Date.now });
    await queue.idle();
    await queue.stop();
    return { sender, found };
  }

  it('killed right after its one write: the survivor sends the deliveries and finds nothing new', async () => {
    const { sender, found } = await killThenSurvivorPolls(1);
    expect(found).toBe(0);
    for (const channelId of channels) expect(sender.textsIn(channelId)).toEqual(['Item 2', 'Item 3', 'Item 4']);
  });

  it('killed before its write landed: the survivor finds the items new and posts each once', async () => {
    const { sender, found } = await killThenSurvivorPolls(0);
    expect(found).toBe(3);
    for (const channelId of channels) expect(sender.textsIn(channelId)).toEqual(['Item 2', 'Item 3', 'Item 4']);
  });

  it('lands as one MULTI: the deliveries for every channel and the seen list together', async () => {
    const a = await openStore();
    const { queue } = makeQueue(a, []);
    const seen: string[] = [];
    const monitor = redis.duplicate();
    await monitor.select(DB);
    const m = await monitor.monitor();
    // MONITOR reports every db on the server: keep this test's.
    m.on('monitor', (_t: string, args: string[], _source: string, db: string) => {
      if (Number(db) === DB) seen.push(args[0]!.toLowerCase() + (args[1]?.includes(':seen:') ? ' seen' : ''));
    });
    await ingest(feed, parsed(items(4)), { store: a, queue, maxItemsPerPoll: 10, now: Date.now });
    await new Promise((r) => setTimeout(r, 100));
    m.disconnect();
    monitor.disconnect();
    const writes = seen.filter((c) => ['multi', 'exec', 'set', 'set seen'].includes(c));
    expect(writes).toEqual(['multi', 'set', 'set', 'set', 'set', 'set', 'set', 'set seen', 'exec']);
    await queue.stop();
  });

  it("reads a channel's pending deliveries from its index, not a SCAN of the keyspace, and keeps the index in step", async () => {
    const [a, b] = [await openStore(), await openStore()];
    const { queue } = makeQueue(a, []);
    await ingest(feed, parsed(items(4)), { store: a, queue, maxItemsPerPoll: 10, now: Date.now });
    await queue.stop();
    const client = (await (b.keyv.store as unknown as { getClient(): Promise<object> }).getClient()) as { scan: () => unknown };
    const scan = vi.spyOn(client, 'scan');
    expect((await b.outbox.list('discord:A')).map((d) => d.itemId)).toEqual(['g:2', 'g:3', 'g:4']);
    expect(scan).not.toHaveBeenCalled();
    scan.mockRestore();
    const index = 'poll-commit::delivery-index:discord:A';
    expect(await redis.zcard(index)).toBe(3);
    await b.outbox.remove('discord:A', [(await b.outbox.list('discord:A'))[0]!.id]);
    expect(await redis.zcard(index)).toBe(2);

    // Deliveries from before the index (here: the index lost) join it when a process starts.
    await redis.del(index);
    const c = await openStore();
    expect((await c.outbox.list('discord:A')).map((d) => d.itemId)).toEqual(['g:3', 'g:4']);
    expect(await redis.zcard(index)).toBe(2);
  });
});
