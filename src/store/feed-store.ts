import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import { CachedCollection, type ChangePublisher } from './cached-collection.js';
import type { FeedRecord } from '../domain/records.js';

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
  /** Writes what touch() has batched so far. */
  flush(): Promise<void>;
  /** Stops the batch timer and writes what is left (the store calls it on close). */
  close(): Promise<void>;
  remove(id: string): Promise<void>;
  /** Cluster: another process changed this feed; re-read it (and its URL index entry). */
  changedElsewhere(id: string): Promise<FeedRecord | undefined>;
}

export interface FeedStoreOptions {
  /** How often touched check times are written, in ms. */
  flushEveryMs?: number;
  /** A batched write failed (it is retried at the next flush). */
  onError?: (error: Error) => void;
  /** Cluster: tells the other processes about every write. */
  publisher?: ChangePublisher;
}

/**
 * Random, never derived from the URL: a feed keeps its id when it moves (a confirmed 301),
 * and an id derived from the old URL would let a later subscriber to that URL overwrite
 * the moved feed (issue 11). Ids of older stores (sha256 of the URL) stay valid as they are.
 */
export function newFeedId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (!taken(id)) return id;
  }
}

export async function createFeedStore(keyv: Keyv, opts: FeedStoreOptions = {}): Promise<FeedStore> {
  const col = await CachedCollection.load<FeedRecord>(keyv, 'feed', opts.publisher);
  const byUrl = new Map<string, string>();
  for (const f of col.all()) byUrl.set(f.url, f.id);
  /** Feeds whose cached record has check times not yet written. */
  let dirty = new Set<string>();
  let flushing: Promise<void> | undefined;

  const getByUrl = (url: string) => {
    const id = byUrl.get(url);
    return id ? col.get(id) : undefined;
  };
  const put = async (feed: FeedRecord) => {
    // This write carries the whole cached record, so nothing batched is left for it.
    dirty.delete(feed.id);
    await col.put(feed);
  };
  const writeBatch = async () => {
    if (!dirty.size) return;
    const ids = [...dirty];
    dirty = new Set();
    try {
      await col.persist(ids);
    } catch (error) {
      for (const id of ids) if (col.get(id)) dirty.add(id);
      throw error;
    }
  };
  const flush = (): Promise<void> => {
    // One batch at a time; a flush asked for during one runs after it.
    const run = (flushing ?? Promise.resolve()).catch(() => undefined).then(writeBatch);
    flushing = run;
    const done = () => {
      if (flushing === run) flushing = undefined;
    };
    run.then(done, done);
    return run;
  };
  const timer = setInterval(() => {
    flush().catch((error: unknown) => opts.onError?.(error instanceof Error ? error : new Error(String(error))));
  }, opts.flushEveryMs ?? 1000);
  // The batch must never keep a finished process alive; close() flushes what is left.
  timer.unref();

  return {
    get: (id) => col.get(id),
    getByUrl,
    list: () => col.all(),
    async ensure(url, now) {
      const existing = getByUrl(url);
      if (existing) return existing;
      const feed: FeedRecord = { id: newFeedId((id) => col.get(id) !== undefined), url, nextCheckAt: now, failures: 0, initialized: false };
      byUrl.set(url, feed.id);
      try {
        await put(feed);
      } catch (error) {
        if (byUrl.get(url) === feed.id) byUrl.delete(url);
        throw error;
      }
      return feed;
    },
    async update(feed) {
      const old = col.get(feed.id);
      if (old && old.url !== feed.url && byUrl.get(old.url) === feed.id) byUrl.delete(old.url);
      byUrl.set(feed.url, feed.id);
      await put(feed);
    },
    touch(id, times) {
      const old = col.get(id);
      if (!old) return;
      col.setCached({ ...old, ...times });
      dirty.add(id);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
    async changedElsewhere(id) {
      // Check times batched here are newer than the store's (this process polled last).
      if (dirty.has(id)) return col.get(id);
      const { before, after } = await col.refresh(id);
      if (before && byUrl.get(before.url) === id && before.url !== after?.url) byUrl.delete(before.url);
      if (after) byUrl.set(after.url, id);
      // The other process's record is the newer one: nothing batched here may overwrite it.
      else dirty.delete(id);
      return after;
    },
    async remove(id) {
      const old = col.get(id);
      if (old && byUrl.get(old.url) === id) byUrl.delete(old.url);
      dirty.delete(id);
      await col.remove(id);
    },
  };
}
