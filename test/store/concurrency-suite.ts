// Writes issued together must all survive a reload: the indexes are read-modify-write
// and the PostgreSQL adapter runs queries in parallel over a pool.
import { afterEach, expect, it } from 'vitest';
import type { Backend } from './backends.js';
import { channelA, channelB, delivery, newSub, storeOpener } from './records.js';

export function concurrencySuite(backend: Backend): void {
  const stores = storeOpener(backend);
  afterEach(() => stores.closeAll());

  it('loses no index entries when feeds and subscriptions are added and removed at once', async () => {
    const ns = backend.namespace();
    const store = await stores.open(ns);
    const urls = Array.from({ length: 20 }, (_, i) => `https://example.test/${i}.xml`);
    const [feeds, subs] = await Promise.all([
      Promise.all(urls.map((u, i) => store.feeds.ensure(u, i))),
      Promise.all(Array.from({ length: 40 }, (_, i) => store.subscriptions.add(newSub(`f${i % 7}`, i % 2 ? channelA : channelB, i)))),
    ]);
    const dropped = subs.filter((_, i) => i % 3 === 0);
    const [added] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, (_, i) => store.subscriptions.add(newSub('late', channelA, 100 + i)))),
      Promise.all(dropped.map((s) => store.subscriptions.remove(s.id))),
      Promise.all(feeds.slice(0, 5).map((f) => store.feeds.remove(f.id))),
    ]);

    const expected = [...subs.filter((s) => !dropped.includes(s)), ...added].map((s) => s.id).sort();
    expect(store.subscriptions.list().map((s) => s.id).sort()).toEqual(expected);
    const reloaded = await stores.open(ns);
    expect(reloaded.subscriptions.list().map((s) => s.id).sort()).toEqual(expected);
    expect(reloaded.feeds.list().map((f) => f.url).sort()).toEqual(urls.slice(5).sort());
  });

  it('lands the last of many rapid updates to one record', async () => {
    const ns = backend.namespace();
    const store = await stores.open(ns);
    const sub = await store.subscriptions.add(newSub('f1', channelA, 1));
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.subscriptions.update({ ...sub, lastPostAt: i })));
    // Remove and re-add at once: the delete must not land after the new value.
    await Promise.all([store.subscriptions.remove(sub.id), store.subscriptions.add({ ...sub, lastPostAt: 99 })]);
    const reloaded = await stores.open(ns);
    expect(reloaded.subscriptions.get(sub.id)?.lastPostAt).toBe(99);
  });

  it('loses no outbox channels or deliveries under concurrent appends and removes', async () => {
    const ns = backend.namespace();
    const store = await stores.open(ns);
    const channels = Array.from({ length: 15 }, (_, i) => `discord:c${i}`);
    await Promise.all([
      ...channels.map((c) => store.outbox.append(c, [delivery(`${c}-1`)])),
      ...Array.from({ length: 10 }, (_, i) => store.outbox.append('slack:busy', [delivery(`busy-${i}`)])),
    ]);
    await Promise.all([
      ...channels.slice(0, 5).map((c) => store.outbox.remove(c, [`${c}-1`])),
      ...channels.slice(5, 8).map((c) => store.outbox.append(c, [delivery(`${c}-2`)])),
    ]);
    const reloaded = await stores.open(ns);
    expect((await reloaded.outbox.channels()).sort()).toEqual([...channels.slice(5), 'slack:busy'].sort());
    expect((await reloaded.outbox.list('slack:busy')).map((d) => d.id)).toEqual(Array.from({ length: 10 }, (_, i) => `busy-${i}`));
    expect((await reloaded.outbox.list('discord:c6')).map((d) => d.id)).toEqual(['discord:c6-1', 'discord:c6-2']);
  });

  it('merges concurrent seen-id records for one feed', async () => {
    const store = await stores.open(backend.namespace());
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.seen.record('f', [`n${i}`], [`n${i}`])));
    expect((await store.seen.get('f')).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `n${i}`).sort());
  });
}
