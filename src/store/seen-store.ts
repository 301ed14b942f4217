import type Keyv from 'keyv';
import { KeyedSerial } from './keyed-serial.js';

/** Item ids already seen per feed, newest first. */
export interface SeenStore {
  get(feedId: string): Promise<string[]>;
  /**
   * Records ids as seen. `current` is everything the feed lists right now: the kept
   * list is bounded, but never smaller than that, or an old item could come back as new.
   * Writes nothing when the kept list would not change (an unchanged feed).
   */
  record(feedId: string, newIds: string[], current: string[]): Promise<void>;
  /** Adds the ids not yet recorded (at the front), writing only if there is one. */
  include(feedId: string, ids: string[]): Promise<void>;
  remove(feedId: string): Promise<void>;
}

export const SEEN_MIN_KEEP = 500;

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function createSeenStore(keyv: Keyv): SeenStore {
  const key = (feedId: string) => `seen:${feedId}`;
  // record() reads, merges and writes: two at once for one feed would drop ids.
  const serial = new KeyedSerial();
  const get = async (feedId: string) => ((await keyv.get(key(feedId))) as string[] | undefined) ?? [];
  return {
    get,
    record: (feedId, newIds, current) =>
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
        if (!sameList(kept, stored)) await keyv.set(key(feedId), kept);
      }),
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
