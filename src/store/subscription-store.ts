import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import type { ChannelRef } from '../core/types.js';
import { CachedCollection } from './cached-collection.js';
import { channelKey, type SubscriptionRecord } from './records.js';

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

export async function createSubscriptionStore(keyv: Keyv): Promise<SubscriptionStore> {
  const col = await CachedCollection.load<SubscriptionRecord>(keyv, 'sub');
  const sameChannel = (s: SubscriptionRecord, ref: ChannelRef) => channelKey(s) === channelKey(ref);
  const byCreated = (a: SubscriptionRecord, b: SubscriptionRecord) => a.createdAt - b.createdAt;

  return {
    get: (id) => col.get(id),
    list: () => col.all().sort(byCreated),
    listByChannel: (ref) => col.all().filter((s) => sameChannel(s, ref)).sort(byCreated),
    listByFeed: (feedId) => col.all().filter((s) => s.feedId === feedId).sort(byCreated),
    find: (ref, feedId) => col.all().find((s) => s.feedId === feedId && sameChannel(s, ref)),
    async add(sub) {
      const rec: SubscriptionRecord = { ...sub, id: sub.id ?? newShortId((id) => col.get(id) !== undefined) };
      await col.put(rec);
      return rec;
    },
    update: (sub) => col.put(sub),
    async remove(id) {
      await col.remove(id);
    },
  };
}
