// A keyv-backed collection kept fully in memory, one key per record (`<prefix>:<id>`).
// A write touches only its own key, so adding or removing costs O(1) whatever the size;
// loading scans the prefix once (scan-prefix.ts). Herald holds the instance lease (see
// lease.ts), so no other process writes these keys and the cache stays true.
//
// Several processes (issue 14, a cluster on Redis) would break that assumption. The shape
// load/get/all/put/remove is kept small for that day: put/remove would publish the id on a
// Redis channel after the write, and every process would re-read that one key (refresh())
// when told, so caches converge without a full reload. Until then: one process per store.
import type Keyv from 'keyv';
import { KeyedSerial } from './keyed-serial.js';
import { scanPrefix } from './scan-prefix.js';

export interface Identified {
  id: string;
}

export class CachedCollection<T extends Identified> {
  private readonly items = new Map<string, T>();
  // Writes to one key are chained so an older value can never land after a newer one.
  private readonly writes = new KeyedSerial();

  private constructor(
    private readonly keyv: Keyv,
    private readonly prefix: string,
  ) {}

  static async load<T extends Identified>(keyv: Keyv, prefix: string): Promise<CachedCollection<T>> {
    const c = new CachedCollection<T>(keyv, prefix);
    for await (const [key, value] of scanPrefix(keyv, `${prefix}:`)) {
      const v = value as T | undefined;
      // Skip what is not a record of ours (a schema-1 index left by a crash mid-migration).
      if (v && typeof v === 'object' && typeof v.id === 'string' && key === c.key(v.id)) c.items.set(v.id, v);
    }
    return c;
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  all(): T[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }

  async put(item: T): Promise<void> {
    if (item.id === 'index') throw new Error(`${this.prefix}: "index" is reserved and cannot be an id`);
    const previous = this.items.get(item.id);
    this.items.set(item.id, item);
    try {
      await this.writes.run(item.id, () => this.keyv.set(this.key(item.id), item));
    } catch (error) {
      // Keep the cache equal to the store, unless a later put already replaced the item.
      if (this.items.get(item.id) === item) {
        if (previous) this.items.set(item.id, previous);
        else this.items.delete(item.id);
      }
      throw error;
    }
  }

  /** Replaces the cached value without writing it; persist() writes it later. */
  setCached(item: T): void {
    this.items.set(item.id, item);
  }

  /**
   * Writes the cached values of these ids in one batch (one statement where the backend
   * allows), ordered after earlier writes to the same ids. A failed write leaves the cache
   * as it is: the caller retries.
   */
  async persist(ids: string[]): Promise<void> {
    const keys = ids.map((id) => this.key(id));
    await this.writes.runMany(ids, async () => {
      // Values as they are when the write starts, so the newest cached value lands.
      const entries = ids.flatMap((id, i) => {
        const value = this.items.get(id);
        return value ? [{ key: keys[i]!, value }] : [];
      });
      if (entries.length) await this.keyv.setMany(entries);
    });
  }

  async remove(id: string): Promise<boolean> {
    const previous = this.items.get(id);
    if (!previous) return false;
    this.items.delete(id);
    try {
      await this.writes.run(id, () => this.keyv.delete(this.key(id)));
    } catch (error) {
      if (!this.items.has(id)) this.items.set(id, previous);
      throw error;
    }
    return true;
  }

  private key(id: string): string {
    return `${this.prefix}:${id}`;
  }
}
