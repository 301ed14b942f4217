import { createHash } from 'node:crypto';
import type Keyv from 'keyv';
import { CachedCollection } from './cached-collection.js';
import type { FeedRecord } from './records.js';

export type FeedTimes = Pick<FeedRecord, 'nextCheckAt'> & Partial<Pick<FeedRecord, 'lastCheckAt' | 'lastSuccessAt'>>;

export interface FeedStore {
  get(id: string): FeedRecord | undefined;
  getByUrl(url: string): FeedRecord | undefined;
  list(): FeedRecord[];
  /** Creates the feed if no feed has this URL yet; returns the stored one. */
  ensure(url: string, now: number): Promise<FeedRecord>;
  update(feed: FeedRecord): Promise<void>;
  /**
   * Records only check times (an unchanged poll). Visible to get() at once; the store may
   * batch the write, so a crash can lose the newest times, never anything else.
   */
  touch(id: string, times: FeedTimes): void;
  remove(id: string): Promise<void>;
}

/** Feed ids are derived from the URL so the same URL always maps to one feed. */
export function feedIdFor(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

export async function createFeedStore(keyv: Keyv): Promise<FeedStore> {
  const col = await CachedCollection.load<FeedRecord>(keyv, 'feed');
  const byUrl = new Map<string, string>();
  for (const f of col.all()) byUrl.set(f.url, f.id);

  const getByUrl = (url: string) => {
    const id = byUrl.get(url);
    return id ? col.get(id) : undefined;
  };

  return {
    get: (id) => col.get(id),
    getByUrl,
    list: () => col.all(),
    async ensure(url, now) {
      const existing = getByUrl(url);
      if (existing) return existing;
      const feed: FeedRecord = { id: feedIdFor(url), url, nextCheckAt: now, failures: 0, initialized: false };
      byUrl.set(url, feed.id);
      await col.put(feed);
      return feed;
    },
    async update(feed) {
      const old = col.get(feed.id);
      if (old && old.url !== feed.url) byUrl.delete(old.url);
      byUrl.set(feed.url, feed.id);
      await col.put(feed);
    },
    touch(id, times) {
      // Placeholder until writes are batched: one write per touch, errors logged by keyv.
      const old = col.get(id);
      if (old) void col.put({ ...old, ...times }).catch(() => undefined);
    },
    async remove(id) {
      const old = col.get(id);
      if (old) byUrl.delete(old.url);
      await col.remove(id);
    },
  };
}
