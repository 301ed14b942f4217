import type Keyv from 'keyv';
import { KeyedSerial } from '../domain/keyed-serial.js';

/** Item ids already seen per feed, newest first. */
export interface SeenStore {
  get(feedId: string): Promise<string[]>;
  /**
   * Records ids as seen. `current` is everything the feed lists right now: the kept
   * list is bounded, but never smaller than that, or an old item could come back as new.
   * Writes nothing when the kept list would not change (an unchanged feed).
   */
  record(feedId: string, newIds: string[], current: string[]): Promise<void>;
  /**
   * record(), but the write is left to `commit` (undefined: nothing to change), which runs in
   * this feed's turn, so it may fold the seen list into a larger atomic write (commitPoll).
   */
  recordWith(feedId: string, newIds: string[], current: string[], commit: (write: SeenWrite | undefined) => Promise<void>): Promise<void>;
  /** Adds the ids not yet recorded (at the front), writing only if there is one. */
  include(feedId: string, ids: string[]): Promise<void>;
  remove(feedId: string): Promise<void>;
}

/** A feed's new seen list, as a Keyv entry. */
export interface SeenWrite {
  key: string;
  value: string[];
}

export const SEEN_MIN_KEEP = 500;

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function createSeenStore(keyv: Keyv): SeenStore {
  const key = (feedId: string) => `seen:${feedId}`;
  // record() reads, merges and writes: two at once for one feed would drop ids.
  const serial = new KeyedSerial();
  const get = async (feedId: string) => ((await keyv.get(key(feedId))) as string[] | undefined) ?? [];
  const recordWith = (feedId: string, newIds: string[], current: string[], commit: (write: SeenWrite | undefined) => Promise<void>) =>
    serial.run(feedId, async () => {
      const merged: string[] = [];
      const seen = new Set<string>();
      const add = (ids: string[]) => {
        for (const id of ids) {
          if (!seen.has(id)) {
            seen.add(id);
            merged.push(id);
          }
        }
      };
      // new and current items first, so trimming drops only ids the feed no longer lists
      add(newIds);
      add(current);
      const mustKeep = merged.length;
      const stored = await get(feedId);
      add(stored);
      const limit = Math.max(SEEN_MIN_KEEP, current.length * 2, mustKeep);
      const kept = merged.slice(0, limit);
      await commit(sameList(kept, stored) ? undefined : { key: key(feedId), value: kept });
    });
  return {
    get,
    record: (feedId, newIds, current) =>
      recordWith(feedId, newIds, current, async (w) => {
        if (w) await keyv.set(w.key, w.value);
      }),
    recordWith,
    include: (feedId, ids) =>
      serial.run(feedId, async () => {
        const stored = await get(feedId);
        const known = new Set(stored);
        const missing = [...new Set(ids)].filter((id) => !known.has(id));
        if (missing.length) await keyv.set(key(feedId), [...missing, ...stored]);
      }),
    remove: (feedId) =>
      serial.run(feedId, async () => {
        await keyv.delete(key(feedId));
      }),
  };
}
