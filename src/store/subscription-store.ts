import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import type { ChannelRef } from '../domain/types.js';
import { CachedCollection, type ChangePublisher } from './cached-collection.js';
import { scanPrefix } from './scan-prefix.js';
import { channelKey, type SubscriptionRecord } from '../domain/records.js';

export interface SubscriptionStore {
  get(id: string): SubscriptionRecord | undefined;
  list(): SubscriptionRecord[];
  listByChannel(ref: ChannelRef): SubscriptionRecord[];
  listByFeed(feedId: string): SubscriptionRecord[];
  find(ref: ChannelRef, feedId: string): SubscriptionRecord | undefined;
  /** Keeps `id` when given (restoring a backup), else assigns a new short id. */
  add(sub: Omit<SubscriptionRecord, 'id'> & { id?: string }): Promise<SubscriptionRecord>;
  update(sub: SubscriptionRecord): Promise<void>;
  remove(id: string): Promise<void>;
  /** Cluster: another process changed this subscription; re-read it and fix the indexes. */
  changedElsewhere(id: string): Promise<void>;
  /**
   * Cluster: reads the store itself for this feed's subscriptions (a message may not have
   * arrived yet), so a feed is never taken for unread because of a late notification.
   */
  confirmByFeed(feedId: string): Promise<SubscriptionRecord[]>;
}

/** Short ids people can type: 6 lowercase letters and digits, unique in the store. */
function newShortId(taken: (id: string) => boolean): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  for (;;) {
    const bytes = randomBytes(6);
    const id = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    if (!taken(id)) return id;
  }
}

/** id sets per key (feed id, channel key), so per-poll lookups never scan every subscription. */
class Index {
  private readonly sets = new Map<string, Set<string>>();
  add(key: string, id: string) {
    const set = this.sets.get(key) ?? new Set<string>();
    set.add(id);
    this.sets.set(key, set);
  }
  delete(key: string, id: string) {
    const set = this.sets.get(key);
    if (!set) return;
    set.delete(id);
    if (!set.size) this.sets.delete(key);
  }
  ids(key: string): Iterable<string> {
    return this.sets.get(key) ?? [];
  }
}

export async function createSubscriptionStore(keyv: Keyv, publisher?: ChangePublisher): Promise<SubscriptionStore> {
  const col = await CachedCollection.load<SubscriptionRecord>(keyv, 'sub', publisher);
  const byFeed = new Index();
  const byChannel = new Index();
  const indexAdd = (s: SubscriptionRecord) => (byFeed.add(s.feedId, s.id), byChannel.add(channelKey(s), s.id));
  const indexDelete = (s: SubscriptionRecord) => (byFeed.delete(s.feedId, s.id), byChannel.delete(channelKey(s), s.id));
  for (const s of col.all()) indexAdd(s);

  const byCreated = (a: SubscriptionRecord, b: SubscriptionRecord) => a.createdAt - b.createdAt;
  const resolve = (ids: Iterable<string>) => [...ids].map((id) => col.get(id)).filter((s): s is SubscriptionRecord => s !== undefined).sort(byCreated);
  const put = async (rec: SubscriptionRecord) => {
    const old = col.get(rec.id);
    await col.put(rec);
    if (old) indexDelete(old);
    indexAdd(rec);
  };

  const changedElsewhere = async (id: string) => {
    const { before, after } = await col.refresh(id);
    if (before) indexDelete(before);
    if (after) indexAdd(after);
  };

  return {
    get: (id) => col.get(id),
    list: () => col.all().sort(byCreated),
    listByChannel: (ref) => resolve(byChannel.ids(channelKey(ref))),
    listByFeed: (feedId) => resolve(byFeed.ids(feedId)),
    find: (ref, feedId) => resolve(byFeed.ids(feedId)).find((s) => channelKey(s) === channelKey(ref)),
    async add(sub) {
      const rec: SubscriptionRecord = { ...sub, id: sub.id ?? newShortId((id) => col.get(id) !== undefined) };
      await put(rec);
      return rec;
    },
    update: put,
    async remove(id) {
      const old = col.get(id);
      await col.remove(id);
      if (old) indexDelete(old);
    },
    changedElsewhere,
    async confirmByFeed(feedId) {
      // Rare (only before forgetting a feed): one scan of the subscriptions' keys.
      for await (const [, value] of scanPrefix(keyv, 'sub:')) {
        const v = value as SubscriptionRecord | undefined;
        if (v && typeof v === 'object' && v.feedId === feedId && typeof v.id === 'string' && !col.get(v.id)) await changedElsewhere(v.id);
      }
      return resolve(byFeed.ids(feedId));
    },
  };
}
