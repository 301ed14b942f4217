// Whole-store backup as one JSON document, e.g. to move from SQLite to PostgreSQL:
// `herald export > backup.json`, change DATABASE_URL, `herald import < backup.json`.
import { VERSION } from '../version.js';
import { BACKUP_FORMAT, BACKUP_VERSION, parseBackup, type BackupDoc } from './backup-doc.js';
import type { Store } from './index.js';
import { acquireLease } from './lease.js';
import { channelKey } from '../domain/records.js';

export { BACKUP_VERSION, parseBackup, type BackupDoc } from './backup-doc.js';

export interface ImportResult {
  feeds: number;
  subscriptions: number;
  /** Subscriptions left out: same id or same channel and feed already there, or no such feed. */
  skipped: number;
  deliveries: number;
}

export async function exportBackup(store: Store): Promise<BackupDoc> {
  const feeds = store.feeds.list();
  const seen = Object.fromEntries(await Promise.all(feeds.map(async (f) => [f.id, await store.seen.get(f.id)] as const)));
  const outbox: BackupDoc['outbox'] = {};
  for (const channel of await store.outbox.channels()) {
    const pending = await store.outbox.list(channel);
    if (pending.length) outbox[channel] = pending;
  }
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: new Date().toISOString(), herald: VERSION, feeds, subscriptions: store.subscriptions.list(), seen, outbox };
}

/**
 * Merges a backup into the store; what the store already has wins, so importing twice
 * changes nothing. Takes the instance lease for the duration: a running Herald would
 * overwrite the import from its in-memory cache, so import refuses while one runs.
 */
export async function importBackup(store: Store, input: BackupDoc): Promise<ImportResult> {
  const doc = parseBackup(input);
  const lease = await acquireLease(store.keyv);
  try {
    // Seen ids before feeds, feeds before subscriptions: an import cut short must never
    // leave a subscription on a feed whose old items would then all look new.
    const feedIds = new Set(doc.feeds.map((f) => f.id));
    await Promise.all(Object.entries(doc.seen).filter(([feedId]) => feedIds.has(feedId)).map(([feedId, ids]) => store.seen.record(feedId, [], ids)));
    const newFeeds = doc.feeds.filter((f) => !store.feeds.get(f.id) && !store.feeds.getByUrl(f.url));
    await Promise.all(newFeeds.map((f) => store.feeds.update(f)));

    const taken = new Set(store.subscriptions.list().map((s) => `${channelKey(s)} ${s.feedId}`));
    const newSubs = doc.subscriptions.filter((s) => {
      const slot = `${channelKey(s)} ${s.feedId}`;
      if (store.subscriptions.get(s.id) || taken.has(slot) || !store.feeds.get(s.feedId)) return false;
      taken.add(slot);
      return true;
    });
    await Promise.all(newSubs.map((s) => store.subscriptions.add(s)));

    let deliveries = 0;
    for (const [channel, list] of Object.entries(doc.outbox)) {
      const have = new Set((await store.outbox.list(channel)).map((d) => d.id));
      // Only deliveries whose subscription is here: the queue looks each one up.
      const add = list.filter((d) => !have.has(d.id) && store.subscriptions.get(d.subscriptionId));
      if (add.length) await store.outbox.append(channel, add);
      deliveries += add.length;
    }
    return { feeds: newFeeds.length, subscriptions: newSubs.length, skipped: doc.subscriptions.length - newSubs.length, deliveries };
  } finally {
    await lease.release();
  }
}
