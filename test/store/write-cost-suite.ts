// What each repository write costs (issue 10): one key per record or delivery, nothing
// rewritten whole, unchanged polls writing nothing. Run once per backend by store.test.ts.
import type Keyv from 'keyv';
import { afterEach, expect, it } from 'vitest';
import type { Backend } from './backends.js';
import { channelA, channelB, delivery, newSub, storeOpener } from './records.js';

/** Records every key Keyv is asked to write or delete from now on. */
function spyWrites(keyv: Keyv) {
  const written: string[] = [];
  const deleted: string[] = [];
  const { set, setMany, delete: del, deleteMany } = keyv;
  keyv.set = ((key: string, value: unknown, ttl?: number) => (written.push(key), set.call(keyv, key, value, ttl))) as typeof keyv.set;
  keyv.setMany = ((entries: { key: string }[]) => (written.push(...entries.map((e) => e.key)), setMany.call(keyv, entries as never))) as typeof keyv.setMany;
  keyv.delete = ((key: string | string[]) => (deleted.push(...[key].flat()), del.call(keyv, key as never))) as typeof keyv.delete;
  keyv.deleteMany = ((keys: string[]) => (deleted.push(...keys), deleteMany.call(keyv, keys))) as typeof keyv.deleteMany;
  return { written, deleted, reset: () => ((written.length = 0), (deleted.length = 0)) };
}

export function writeCostSuite(backend: Backend): void {
  const stores = storeOpener(backend);
  afterEach(() => stores.closeAll());

  it('adds and removes feeds and subscriptions with one key each, and no index', async () => {
    const store = await stores.open(backend.namespace());
    for (let i = 0; i < 20; i++) await store.subscriptions.add(newSub(`f${i}`, channelA, i));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.feeds.ensure(`https://example.test/${i}.xml`, i)));
    const spy = spyWrites(store.keyv);
    const sub = await store.subscriptions.add(newSub('late', channelB, 99));
    const feed = await store.feeds.ensure('https://example.test/late.xml', 99);
    expect(spy.written).toEqual([`sub:${sub.id}`, `feed:${feed.id}`]);
    await store.subscriptions.remove(sub.id);
    await store.feeds.remove(feed.id);
    expect(spy.deleted).toEqual([`sub:${sub.id}`, `feed:${feed.id}`]);
    expect(await store.keyv.get('sub:index')).toBeUndefined();
    expect(await store.keyv.get('feed:index')).toBeUndefined();
  });

  it('appends and removes one outbox key per delivery, oldest first after a reload', async () => {
    const ns = backend.namespace();
    const store = await stores.open(ns);
    const ch = 'discord:c-a';
    await store.outbox.append(ch, Array.from({ length: 30 }, (_, i) => delivery(`d${i}`)));
    const spy = spyWrites(store.keyv);
    await store.outbox.append(ch, [delivery('new')]);
    expect(spy.written).toHaveLength(1);
    expect(spy.written[0]).toMatch(/^delivery:discord:c-a\|\d{16}$/);
    await store.outbox.remove(ch, ['d0']);
    expect(spy.deleted).toHaveLength(1);
    await store.outbox.update(ch, { ...delivery('d5'), attempts: 3 });
    expect(spy.written).toHaveLength(2);
    expect(await store.keyv.get(`outbox:${ch}`)).toBeUndefined();
    // The same id again is not a second delivery.
    await store.outbox.append(ch, [delivery('d7')]);
    expect(spy.written).toHaveLength(2);

    const again = await stores.open(ns);
    const list = await again.outbox.list(ch);
    expect(list.map((d) => d.id)).toEqual([...Array.from({ length: 29 }, (_, i) => `d${i + 1}`), 'new']);
    expect(list.find((d) => d.id === 'd5')?.attempts).toBe(3);
    // New appends after a restart still go to the end.
    await again.outbox.append(ch, [delivery('after-restart')]);
    expect((await again.outbox.list(ch)).at(-1)?.id).toBe('after-restart');
  });

  it('writes several channels of one poll in a single batch', async () => {
    const store = await stores.open(backend.namespace());
    const spy = spyWrites(store.keyv);
    const calls: number[] = [];
    const setMany = store.keyv.setMany.bind(store.keyv);
    store.keyv.setMany = ((entries: never[]) => (calls.push(entries.length), setMany(entries))) as typeof store.keyv.setMany;
    await store.outbox.appendMany([
      ['discord:c-a', [delivery('a1'), delivery('a2')]],
      ['slack:C-B', [delivery('b1')]],
    ]);
    expect(calls).toEqual([3]);
    expect(spy.written).toHaveLength(3);
    expect(await store.outbox.channels()).toEqual(['discord:c-a', 'slack:C-B']);
  });

  it('batches touch(): visible at once, written at the next flush and on close', async () => {
    const ns = backend.namespace();
    const store = await stores.open(ns);
    const feed = await store.feeds.ensure('https://example.test/t.xml', 1);
    const spy = spyWrites(store.keyv);
    for (let i = 0; i < 50; i++) store.feeds.touch(feed.id, { nextCheckAt: 1000 + i, lastCheckAt: 500 + i });
    expect(store.feeds.get(feed.id)).toMatchObject({ nextCheckAt: 1049, lastCheckAt: 549 });
    expect(spy.written).toEqual([]);
    await store.feeds.flush();
    expect(spy.written).toEqual([`feed:${feed.id}`]);
    expect(await store.keyv.get(`feed:${feed.id}`)).toMatchObject({ nextCheckAt: 1049 });
    // Nothing touched since: nothing written.
    await store.feeds.flush();
    expect(spy.written).toHaveLength(1);
    store.feeds.touch(feed.id, { nextCheckAt: 7777 });
    await store.close();
    expect((await stores.open(ns)).feeds.get(feed.id)?.nextCheckAt).toBe(7777);
  });

  it('flushes touched feeds about once a second on its own', async () => {
    const store = await stores.open(backend.namespace());
    const feed = await store.feeds.ensure('https://example.test/timer.xml', 1);
    store.feeds.touch(feed.id, { nextCheckAt: 4242 });
    await expect.poll(async () => ((await store.keyv.get(`feed:${feed.id}`)) as { nextCheckAt: number }).nextCheckAt, { timeout: 3000 }).toBe(4242);
  });

  it('does not rewrite the seen ids of an unchanged feed', async () => {
    const store = await stores.open(backend.namespace());
    const current = ['i3', 'i2', 'i1'];
    await store.seen.record('f', current, current);
    const spy = spyWrites(store.keyv);
    await store.seen.record('f', [], current);
    await store.seen.include('f', ['i2']);
    expect(spy.written).toEqual([]);
    await store.seen.record('f', ['i4'], ['i4', ...current]);
    await store.seen.include('f', ['x']);
    expect(spy.written).toEqual(['seen:f', 'seen:f']);
    expect(await store.seen.get('f')).toEqual(['x', 'i4', 'i3', 'i2', 'i1']);
  });
}
