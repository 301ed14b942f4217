import type Keyv from 'keyv';

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
  return {
    async get(feedId) {
      return ((await keyv.get(key(feedId))) as string[] | undefined) ?? [];
    },
    async record(feedId, newIds, current) {
      const old = await this.get(feedId);
      const merged: string[] = [];
      const seen = new Set<string>();
      // current items first so trimming drops only ids the feed no longer lists
      for (const id of [...newIds, ...current, ...old]) {
        if (!seen.has(id)) {
          seen.add(id);
          merged.push(id);
        }
      }
      const limit = Math.max(SEEN_MIN_KEEP, current.length * 2);
      await keyv.set(key(feedId), merged.slice(0, limit));
    },
    async remove(feedId) {
      await keyv.delete(key(feedId));
    },
  };
}
