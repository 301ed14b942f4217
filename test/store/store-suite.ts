// The repository contract, run once per backend by store.test.ts.
import { afterEach, expect, it } from 'vitest';
import { createStore, SCHEMA_VERSION, type Delivery } from '../../src/store/index.js';
import { SEEN_MIN_KEEP } from '../../src/store/seen-store.js';
import type { Backend } from './backends.js';
import { channelA, channelB, delivery, newSub, storeOpener } from './records.js';

export function storeSuite(backend: Backend): void {
  const stores = storeOpener(backend);
  afterEach(() => stores.closeAll());

  it('writes the schema version key and refuses a store from a newer Herald', async () => {
    const ns = backend.namespace();
    const store = await stores.open(ns);
    expect(await store.keyv.get('schema:version')).toBe(SCHEMA_VERSION);
    expect(store.kind).toBe(backend.kind);
    await store.keyv.set('schema:version', SCHEMA_VERSION + 1);
    await expect(createStore(backend.url, ns)).rejects.toThrow(/DATABASE_URL.*newer than this Herald/);
  });

  it('keeps namespaces apart', async () => {
    const [ns1, ns2] = [backend.namespace(), backend.namespace()];
    const one = await stores.open(ns1);
    await one.feeds.ensure('https://example.test/a.xml', 1);
    await one.seen.record('f', ['x'], ['x']);
    const two = await stores.open(ns2);
    expect(two.feeds.list()).toEqual([]);
    expect(await two.seen.get('f')).toEqual([]);
    expect((await stores.open(ns1)).feeds.list()).toHaveLength(1);
    await two.subscriptions.add(newSub('f', channelA, 1));
    await one.keyv.clear();
    expect((await stores.open(ns1)).feeds.list()).toEqual([]);
    expect((await stores.open(ns2)).subscriptions.list()).toHaveLength(1);
  });

  it('closing one store leaves another on the same database working', async () => {
    const one = await stores.open(backend.namespace());
    const two = await stores.open(backend.namespace());
    await one.close();
    await one.close();
    const feed = await two.feeds.ensure('https://example.test/still-open.xml', 1);
    expect(await two.keyv.get(`feed:${feed.id}`)).toEqual(feed);
  });

  it('rejects writes that fail instead of dropping them, and keeps the cache equal to the store', async () => {
    const store = await stores.open(backend.namespace());
    const sub = await store.subscriptions.add(newSub('f1', channelA, 1));
    await store.close();
    await expect(store.feeds.ensure('https://example.test/after-close.xml', 1)).rejects.toThrow();
    expect(store.feeds.list()).toEqual([]);
    await expect(store.subscriptions.update({ ...sub, paused: true })).rejects.toThrow();
    expect(store.subscriptions.get(sub.id)).toEqual(sub);
    await expect(store.subscriptions.remove(sub.id)).rejects.toThrow();
    expect(store.subscriptions.get(sub.id)).toEqual(sub);
    await expect(store.outbox.append('discord:c-a', [delivery('d1')])).rejects.toThrow();
  });

  it('creates, finds by URL, updates and removes feeds', async () => {
    const store = await stores.open(backend.namespace());
    const url = 'https://example.test/feed.xml';
    const feed = await store.feeds.ensure(url, 1000);
    expect(feed.id).toMatch(/^[0-9a-f]{16}$/);
    expect(feed).toMatchObject({ url, nextCheckAt: 1000, failures: 0, initialized: false });
    expect(await store.feeds.ensure(url, 2000)).toBe(feed);
    expect(store.feeds.getByUrl(url)).toEqual(feed);

    const moved = { ...feed, url: 'https://example.test/new.xml', title: 'News', initialized: true };
    await store.feeds.update(moved);
    expect(store.feeds.getByUrl(url)).toBeUndefined();
    expect(store.feeds.getByUrl(moved.url)).toEqual(moved);
    expect(store.feeds.get(feed.id)).toEqual(moved);

    await store.feeds.remove(feed.id);
    expect(store.feeds.get(feed.id)).toBeUndefined();
    expect(store.feeds.getByUrl(moved.url)).toBeUndefined();
    expect(store.feeds.list()).toEqual([]);
  });

  it('lists subscriptions by channel and feed, with typeable short ids', async () => {
    const store = await stores.open(backend.namespace());
    const s1 = await store.subscriptions.add(newSub('f1', channelA, 3));
    const s2 = await store.subscriptions.add(newSub('f2', channelA, 1));
    const s3 = await store.subscriptions.add(newSub('f1', channelB, 2));
    for (const s of [s1, s2, s3]) expect(s.id).toMatch(/^[a-hj-km-np-z2-9]{6}$/);
    expect(new Set([s1.id, s2.id, s3.id]).size).toBe(3);

    expect(store.subscriptions.listByChannel(channelA).map((s) => s.id)).toEqual([s2.id, s1.id]);
    expect(store.subscriptions.listByFeed('f1').map((s) => s.id)).toEqual([s3.id, s1.id]);
    expect(store.subscriptions.list().map((s) => s.id)).toEqual([s2.id, s3.id, s1.id]);
    expect(store.subscriptions.find(channelB, 'f1')?.id).toBe(s3.id);
    expect(store.subscriptions.find(channelB, 'f2')).toBeUndefined();

    const kept = await store.subscriptions.add({ ...newSub('f3', channelB, 4), id: 'restor' });
    expect(kept.id).toBe('restor');
    await store.subscriptions.update({ ...s1, paused: true });
    await store.subscriptions.remove(s2.id);
    expect(store.subscriptions.get(s1.id)?.paused).toBe(true);
    expect(store.subscriptions.get(s2.id)).toBeUndefined();
  });

  it('reloads everything from a fresh createStore', async () => {
    const ns = backend.namespace();
    const first = await stores.open(ns);
    const feed = await first.feeds.ensure('https://example.test/persist.xml', 5);
    await first.feeds.update({ ...feed, etag: '"v1"', failures: 2 });
    const sub = await first.subscriptions.add(newSub(feed.id, channelA, 7));
    const gone = await first.subscriptions.add(newSub(feed.id, channelB, 8));
    await first.subscriptions.remove(gone.id);
    await first.seen.record(feed.id, ['i2'], ['i2', 'i1']);
    await first.outbox.append('discord:c-a', [delivery('d1', sub.id)]);
    await first.close();

    const second = await stores.open(ns);
    expect(second.feeds.list()).toEqual([{ ...feed, etag: '"v1"', failures: 2 }]);
    expect(second.feeds.getByUrl(feed.url)?.id).toBe(feed.id);
    expect(second.subscriptions.list()).toEqual([sub]);
    expect(await second.seen.get(feed.id)).toEqual(['i2', 'i1']);
    expect(await second.outbox.list('discord:c-a')).toEqual([delivery('d1', sub.id)]);
    expect(await second.outbox.channels()).toEqual(['discord:c-a']);
  });

  it('skips an indexed record whose value is missing (crash between writes)', async () => {
    const ns = backend.namespace();
    const first = await stores.open(ns);
    const keep = await first.subscriptions.add(newSub('f1', channelA, 1));
    const lost = await first.subscriptions.add(newSub('f1', channelB, 2));
    await first.keyv.delete(`sub:${lost.id}`);
    const second = await stores.open(ns);
    expect(second.subscriptions.list()).toEqual([keep]);
  });

  it('bounds seen ids, but never below what the feed lists now', async () => {
    const store = await stores.open(backend.namespace());
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

    await store.seen.record('f', ids('old', 600), ids('old', 600));
    expect(await store.seen.get('f')).toHaveLength(600);
    await store.seen.record('f', ['n1'], ['n1', 'old0']);
    const small = await store.seen.get('f');
    expect(small).toHaveLength(SEEN_MIN_KEEP);
    expect(small.slice(0, 2)).toEqual(['n1', 'old0']);

    const big = ids('big', SEEN_MIN_KEEP * 2 + 100);
    await store.seen.record('f', big.slice(0, 3), big);
    const kept = await store.seen.get('f');
    expect(kept.length).toBeGreaterThanOrEqual(big.length);
    expect(kept.slice(0, big.length)).toEqual(big);

    // New ids outside the listing (a huge batch) still keep the whole listing.
    const burst = ids('burst', SEEN_MIN_KEEP * 3);
    await store.seen.record('g', burst, ['cur1', 'cur2']);
    expect(await store.seen.get('g')).toEqual([...burst, 'cur1', 'cur2']);

    await store.seen.remove('f');
    expect(await store.seen.get('f')).toEqual([]);
  });

  it('keeps outbox order per channel and lists channels in first-append order', async () => {
    const store = await stores.open(backend.namespace());
    const [a, b] = ['discord:c-a', 'slack:C-B'];
    await store.outbox.append(b, [delivery('b1')]);
    await store.outbox.append(a, [delivery('a1'), delivery('a2')]);
    await store.outbox.append(a, [delivery('a3')]);
    expect(await store.outbox.channels()).toEqual([b, a]);
    expect((await store.outbox.list(a)).map((d) => d.id)).toEqual(['a1', 'a2', 'a3']);

    await store.outbox.remove(a, ['a2', 'nope']);
    expect((await store.outbox.list(a)).map((d) => d.id)).toEqual(['a1', 'a3']);
    await store.outbox.replace(a, [delivery('a9'), { ...delivery('a1'), attempts: 2 }]);
    expect((await store.outbox.list(a)).map((d) => [d.id, d.attempts])).toEqual([['a9', 0], ['a1', 2]]);

    await store.outbox.remove(b, ['b1']);
    expect(await store.outbox.channels()).toEqual([a]);
    expect(await store.outbox.list(b)).toEqual([]);
    await store.outbox.clear(a);
    expect(await store.outbox.channels()).toEqual([]);
    await store.outbox.replace(b, [delivery('b2')]);
    expect(await store.outbox.channels()).toEqual([b]);
  });

  it("commitPoll writes a poll's deliveries and the feed's seen ids in one write: both land or neither", async () => {
    const ns = backend.namespace();
    const store = await stores.open(ns);
    await store.seen.record('f1', [], ['old']);
    const [a, b] = ['discord:c-a', 'slack:C-B'];
    const poll = { feedId: 'f1', deliveries: [[a, [delivery('a1'), delivery('a2')]], [b, [delivery('b1')]]] as [string, Delivery[]][], newIds: ['item-a1', 'item-a2', 'item-b1'], currentIds: ['item-a1', 'item-a2', 'item-b1', 'old'] };
    // A backend that refuses every write holding the seen list: were the deliveries a write
    // of their own, they would land alone (posted, then found new again by the next poll).
    const adapter = store.keyv.store as Record<'set' | 'setMany', (...args: never[]) => Promise<unknown>>;
    const { set, setMany } = adapter;
    const writes: string[][] = [];
    const seenKey = (key: string) => key.endsWith('seen:f1');
    adapter.set = (async (key: string, ...rest: never[]) => {
      writes.push([key]);
      if (seenKey(key)) throw new Error('injected');
      return set.call(adapter, key as never, ...rest);
    }) as never;
    adapter.setMany = (async (entries: { key: string }[]) => {
      writes.push(entries.map((e) => e.key));
      if (entries.some((e) => seenKey(e.key))) throw new Error('injected');
      return setMany.call(adapter, entries as never);
    }) as never;
    await expect(store.commitPoll(poll)).rejects.toThrow('injected');
    expect(writes).toHaveLength(1);
    expect(await store.outbox.list(a)).toEqual([]);
    // A fresh store reads the backend itself, not a cache.
    const after = await stores.open(ns);
    expect(await after.outbox.channels()).toEqual([]);
    expect(await after.seen.get('f1')).toEqual(['old']);

    Object.assign(adapter, { set, setMany });
    writes.length = 0;
    await store.commitPoll(poll);
    const done = await stores.open(ns);
    expect((await done.outbox.list(a)).map((d) => d.id)).toEqual(['a1', 'a2']);
    expect((await done.outbox.list(b)).map((d) => d.id)).toEqual(['b1']);
    expect(await done.seen.get('f1')).toEqual(['item-a1', 'item-a2', 'item-b1', 'old']);
    // Pending ids are skipped and an unchanged seen list is not rewritten: a repeat writes nothing.
    await done.commitPoll(poll);
    expect((await done.outbox.list(a)).map((d) => d.id)).toEqual(['a1', 'a2']);
  });
}
