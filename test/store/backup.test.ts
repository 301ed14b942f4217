// Backup: export from SQLite, import elsewhere (PostgreSQL when it is there), same data out.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exportBackup, importBackup, type BackupDoc } from '../../src/store/backup.js';
import { acquireLease } from '../../src/store/lease.js';
import type { Store } from '../../src/store/index.js';
import { describeBackend, postgresBackend, sqliteBackend, type Backend } from './backends.js';
import { channelA, channelB, delivery, newSub, storeOpener } from './records.js';

const source = sqliteBackend();
const targets = [sqliteBackend(), await postgresBackend()];
afterAll(() => Promise.all([source, ...targets].map((b) => b.cleanup())));
const sources = storeOpener(source);
afterEach(() => sources.closeAll());

/** A store with a bit of everything, the way a running Herald leaves it. */
async function populated(): Promise<Store> {
  const store = await sources.open(source.namespace());
  const a = await store.feeds.ensure('https://example.test/a.xml', 1);
  const b = await store.feeds.ensure('https://example.test/b.xml', 2);
  await store.feeds.update({ ...a, title: 'A', etag: '"e"', initialized: true, lastError: { kind: 'http', message: '503', at: 5 } });
  const s1 = await store.subscriptions.add(newSub(a.id, channelA, 10, { template: '{title}', filter: { include: ['x'], exclude: [], field: 'title' } }));
  await store.subscriptions.add(newSub(b.id, channelA, 11, { paused: true, style: 'link' }));
  await store.subscriptions.add(newSub(a.id, channelB, 12, { state: 'blocked', blockedReason: 'missing access' }));
  await store.seen.record(a.id, ['a2'], ['a2', 'a1']);
  await store.outbox.append('discord:c-a', [delivery('d1', s1.id), delivery('d2', s1.id)]);
  return store;
}

/** As if written to a file and read back. */
const viaFile = (doc: BackupDoc): BackupDoc => JSON.parse(JSON.stringify(doc)) as BackupDoc;

const sameContents = async (from: Store, to: Store) => {
  expect(to.subscriptions.list()).toEqual(from.subscriptions.list());
  expect(to.feeds.list().sort((x, y) => x.id.localeCompare(y.id))).toEqual(from.feeds.list().sort((x, y) => x.id.localeCompare(y.id)));
  for (const f of from.feeds.list()) expect(await to.seen.get(f.id)).toEqual(await from.seen.get(f.id));
  expect(await to.outbox.channels()).toEqual(await from.outbox.channels());
  expect(await to.outbox.list('discord:c-a')).toEqual(await from.outbox.list('discord:c-a'));
};

function importSuite(target: Backend) {
  const stores = storeOpener(target);
  afterEach(() => stores.closeAll());

  it('brings back the same feeds, subscriptions (ids kept), seen ids and outbox', async () => {
    const from = await populated();
    const ns = target.namespace();
    const to = await stores.open(ns);
    const result = await importBackup(to, viaFile(await exportBackup(from)));
    expect(result).toEqual({ feeds: 2, subscriptions: 3, skipped: 0, deliveries: 2 });
    expect(to.subscriptions.list().map((s) => s.style ?? 'compact').sort()).toEqual(['compact', 'compact', 'link']);
    await sameContents(from, to);
    await to.close();
    await sameContents(from, await stores.open(ns));
  });

  it('changes nothing when imported twice, and keeps what the target already has', async () => {
    const from = await populated();
    const to = await stores.open(target.namespace());
    const sub = from.subscriptions.list()[0]!;
    const mine = await to.subscriptions.add(newSub(sub.feedId, channelA, 99));
    const doc = viaFile(await exportBackup(from));
    expect(await importBackup(to, doc)).toMatchObject({ subscriptions: 2, skipped: 1, deliveries: 0 });
    expect(await importBackup(to, doc)).toEqual({ feeds: 0, subscriptions: 0, skipped: 3, deliveries: 0 });
    expect(to.subscriptions.find(channelA, sub.feedId)).toEqual(mine);
    expect(to.subscriptions.list()).toHaveLength(3);
  });

  it('refuses to import while a Herald holds the store', async () => {
    const from = await populated();
    const to = await stores.open(target.namespace());
    const lease = await acquireLease(to.keyv);
    try {
      await expect(importBackup(to, await exportBackup(from))).rejects.toThrow(/Another Herald instance is using this store/);
    } finally {
      await lease.release();
    }
  });
}

for (const target of targets) describeBackend(target, 'backup from sqlite into', () => importSuite(target));

describe('backup documents', () => {
  const bad: [string, unknown, RegExp][] = [
    ['not an object', 'hello', /not a Herald backup/],
    ['another format', { format: 'opml' }, /not a Herald backup/],
    ['a newer version', { format: 'herald-backup', version: 99 }, /version 99, newer than this Herald/],
    ['a damaged subscription', { format: 'herald-backup', version: 1, exportedAt: 'x', feeds: [], subscriptions: [{ id: 'abc' }], seen: {}, outbox: {} }, /damaged[\s\S]*subscriptions/],
  ];
  it.each(bad)('rejects %s before writing anything', async (_, doc, message) => {
    const store = await sources.open(source.namespace());
    await expect(importBackup(store, doc as BackupDoc)).rejects.toThrow(message);
    expect(store.subscriptions.list()).toEqual([]);
  });
});
