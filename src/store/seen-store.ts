import type Keyv from 'keyv';
import { KeyedSerial } from './keyed-serial.js';

/** Item ids already seen per feed, newest first. */
export interface SeenStore {
  get(feedId: string): Promise<string[]>;
  /**
   * Records ids as seen. `current` is everything the feed lists right now: the kept
   * list is bounded, but never smaller than that, or an old item could come back as new.
   */
  record(feedId: string, newIds: string[], current: string[]): Promise<void>;
  remove(feedId: string): Promise<void>;
}

export const SEEN_MIN_KEEP = 500;

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
        add(await get(feedId));
        const limit = Math.max(SEEN_MIN_KEEP, current.length * 2, mustKeep);
        await keyv.set(key(feedId), merged.slice(0, limit));
      }),
    remove: (feedId) =>
      serial.run(feedId, async () => {
        await keyv.delete(key(feedId));
      }),
  };
}
