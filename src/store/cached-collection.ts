// A keyv-backed collection kept fully in memory. Herald holds the instance lease
// (see lease.ts), so no other process writes these keys and the cache stays true.
import type Keyv from 'keyv';
import { KeyedSerial } from './keyed-serial.js';

export interface Identified {
  id: string;
}

export class CachedCollection<T extends Identified> {
  private readonly items = new Map<string, T>();
  // Writes to one key are chained so an older value can never land after a newer one.
  private readonly writes = new KeyedSerial();
  private indexTail: Promise<unknown> = Promise.resolve();
  /** An index write queued behind another and not yet started; later callers join it. */
  private indexQueued: Promise<void> | undefined;
  /** Set when an index write failed, so the next put rewrites it even for a known id. */
  private indexStale = false;

  private constructor(
    private readonly keyv: Keyv,
    private readonly prefix: string,
  ) {}

  static async load<T extends Identified>(keyv: Keyv, prefix: string): Promise<CachedCollection<T>> {
    const c = new CachedCollection<T>(keyv, prefix);
    const ids = ((await keyv.get(c.indexKey)) as string[] | undefined) ?? [];
    const values = ids.length ? ((await keyv.getMany(ids.map((id) => c.key(id)))) as (T | null | undefined)[]) : [];
    // A missing value means a crash between writing it and the index: skip it.
    for (const v of values) if (v) c.items.set(v.id, v);
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
    // The value is written before the index lists it: a crash in between leaves an
    // unlisted value, never a listed id without one.
    if (!previous || this.indexStale) await this.writeIndex();
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
    await this.writeIndex();
    return true;
  }

  private key(id: string): string {
    return `${this.prefix}:${id}`;
  }

  private get indexKey(): string {
    return `${this.prefix}:index`;
  }

  /** Writes the ids as they are when the write starts, so the last write is always current. */
  private writeIndex(): Promise<void> {
    if (this.indexQueued) return this.indexQueued;
    const queued = this.indexTail
      .catch(() => undefined)
      .then(async () => {
        this.indexQueued = undefined;
        try {
          await this.keyv.set(this.indexKey, [...this.items.keys()]);
          this.indexStale = false;
        } catch (error) {
          this.indexStale = true;
          throw error;
        }
      });
    this.indexQueued = queued;
    this.indexTail = queued;
    return queued;
  }
}
