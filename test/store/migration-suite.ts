// Schema 1 → 2: a store written by the previous Herald loads after the upgrade.
import { afterEach, expect, it } from 'vitest';
import { createStore, SCHEMA_VERSION } from '../../src/store/index.js';
import { openKeyv } from '../../src/store/open-keyv.js';
import type { Backend } from './backends.js';
import { channelA, channelB, delivery, newSub, storeOpener } from './records.js';

export function migrationSuite(backend: Backend): void {
  const stores = storeOpener(backend);
  afterEach(() => stores.closeAll());

  /** The keys exactly as schema 1 wrote them. */
  async function writeSchema1(ns: string) {
    const keyv = await openKeyv(backend.url, ns);
    const feeds = [
      { id: 'aaaa', url: 'https://example.test/a.xml', nextCheckAt: 1, failures: 0, initialized: true },
      { id: 'bbbb', url: 'https://example.test/b.xml', nextCheckAt: 2, failures: 1, initialized: false },
    ];
    const subs = [
      { ...newSub('aaaa', channelA, 1), id: 'sub111' },
      { ...newSub('bbbb', channelB, 2), id: 'sub222' },
    ];
    await keyv.set('schema:version', 1);
    for (const f of feeds) await keyv.set(`feed:${f.id}`, f);
    await keyv.set('feed:index', feeds.map((f) => f.id));
    for (const s of subs) await keyv.set(`sub:${s.id}`, s);
    // A record schema 1 never listed (a crash before its index write) stays invisible.
    await keyv.set('sub:orphan', { ...newSub('aaaa', channelB, 3), id: 'orphan' });
    await keyv.set('sub:index', subs.map((s) => s.id));
    await keyv.set('seen:aaaa', ['a2', 'a1']);
    await keyv.set('outbox:discord:c-a', [delivery('d1', 'sub111'), delivery('d2', 'sub111'), delivery('d3', 'sub111')]);
    await keyv.set('outbox:slack:C-B', [delivery('e1', 'sub222')]);
    await keyv.set('outbox:index', ['slack:C-B', 'discord:c-a']);
    await keyv.disconnect();
    return { feeds, subs };
  }

  it('migrates the indexes and outbox arrays of schema 1, and loads the same data', async () => {
    const ns = backend.namespace();
    const { feeds, subs } = await writeSchema1(ns);
    const store = await stores.open(ns);
    expect(await store.keyv.get('schema:version')).toBe(SCHEMA_VERSION);
    expect(store.feeds.list().sort((x, y) => x.id.localeCompare(y.id))).toEqual(feeds);
    expect(store.feeds.getByUrl('https://example.test/b.xml')?.id).toBe('bbbb');
    expect(store.subscriptions.list()).toEqual(subs);
    expect(await store.seen.get('aaaa')).toEqual(['a2', 'a1']);
    expect((await store.outbox.list('discord:c-a')).map((d) => d.id)).toEqual(['d1', 'd2', 'd3']);
    expect((await store.outbox.list('slack:C-B')).map((d) => d.id)).toEqual(['e1']);
    for (const key of ['feed:index', 'sub:index', 'sub:orphan', 'outbox:index', 'outbox:discord:c-a', 'outbox:slack:C-B']) expect(await store.keyv.get(key), key).toBeUndefined();

    // Appended after the migration: behind the migrated ones. And it all survives a restart.
    await store.outbox.append('discord:c-a', [delivery('d4', 'sub111')]);
    await store.close();
    const again = await stores.open(ns);
    expect((await again.outbox.list('discord:c-a')).map((d) => d.id)).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(again.subscriptions.list()).toEqual(subs);
  });

  it('finishes a migration cut short without duplicating deliveries', async () => {
    const ns = backend.namespace();
    await writeSchema1(ns);
    // As if the first migration had died after writing one channel's delivery keys.
    const partial = await createStore(backend.url, ns);
    const keyv = partial.keyv;
    await keyv.set('schema:version', 1);
    await keyv.set('outbox:discord:c-a', [delivery('d1', 'sub111'), delivery('d2', 'sub111'), delivery('d3', 'sub111')]);
    await keyv.set('outbox:index', ['discord:c-a']);
    await partial.close();
    const store = await stores.open(ns);
    expect((await store.outbox.list('discord:c-a')).map((d) => d.id)).toEqual(['d1', 'd2', 'd3']);
  });
}
