// A keyv-backed collection kept fully in memory, one key per record (`<prefix>:<id>`).
// A write touches only its own key, so adding or removing costs O(1) whatever the size;
// loading scans the prefix once (scan-prefix.ts). A single Herald holds the instance lease
// (see lease.ts), so no other process writes these keys and the cache stays true.
//
// In a cluster (issue 14, several processes on one Redis) every write publishes its id
// through a ChangeBus (change-bus.ts) once it has landed, and every other process re-reads
// that one key (refresh()), so caches converge without a full reload. A message can be lost
// (a subscriber reconnecting), so the bus also asks now and then for differences(): one scan
// of the prefix naming every id whose stored value is not the cached one, each of which then
// goes through the same refresh path as a message.
import { isDeepStrictEqual } from 'node:util';
import type Keyv from 'keyv';
import { KeyedSerial } from '../domain/keyed-serial.js';
import { scanPrefix } from './scan-prefix.js';

export interface Identified {
  id: string;
}

/** Tells the other processes of a cluster that a key of a collection changed. */
export interface ChangePublisher {
  publish(collection: string, id: string): void;
  /** Registers a collection for the bus's periodic and after-reconnect comparison. */
  track?(collection: string, differences: () => Promise<string[]>): void;
}

export class CachedCollection<T extends Identified> {
  private readonly items = new Map<string, T>();
  // Writes to one key are chained so an older value can never land after a newer one.
  private readonly writes = new KeyedSerial();
  /** Bumped by every local change of an id, so a re-read that raced one is not applied. */
  private readonly generation = new Map<string, number>();

  private constructor(
    private readonly keyv: Keyv,
    private readonly prefix: string,
    private readonly publisher?: ChangePublisher,
  ) {}

  static async load<T extends Identified>(keyv: Keyv, prefix: string, publisher?: ChangePublisher): Promise<CachedCollection<T>> {
    const c = new CachedCollection<T>(keyv, prefix, publisher);
    for await (const [key, value] of scanPrefix(keyv, `${prefix}:`)) {
      if (c.isRecord(key, value)) c.items.set(value.id, value);
    }
    publisher?.track?.(prefix, () => c.differences());
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
    this.bump(item.id);
    try {
      await this.writes.run(item.id, () => this.keyv.set(this.key(item.id), item));
      this.publisher?.publish(this.prefix, item.id);
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
    this.bump(item.id);
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
      for (const e of entries) this.publisher?.publish(this.prefix, (e.value as T).id);
    });
  }

  async remove(id: string): Promise<boolean> {
    const previous = this.items.get(id);
    if (!previous) return false;
    this.items.delete(id);
    this.bump(id);
    try {
      await this.writes.run(id, () => this.keyv.delete(this.key(id)));
      this.publisher?.publish(this.prefix, id);
    } catch (error) {
      if (!this.items.has(id)) this.items.set(id, previous);
      throw error;
    }
    return true;
  }

  /**
   * Another process changed this id: re-read its key (after this process's own writes to it)
   * and return the cached value before and after. A local change made while the read was
   * under way wins: it is newer, and its own publication tells the others.
   */
  async refresh(id: string): Promise<{ before: T | undefined; after: T | undefined }> {
    const before = this.items.get(id);
    const gen = this.generation.get(id) ?? 0;
    const value = (await this.writes.run(id, () => this.keyv.get(this.key(id)))) as T | undefined;
    if ((this.generation.get(id) ?? 0) !== gen) return { before, after: this.items.get(id) };
    const current = this.items.get(id);
    if (value && typeof value === 'object' && value.id === id) this.items.set(id, value);
    else this.items.delete(id);
    return { before: current, after: this.items.get(id) };
  }

  /**
   * Ids whose stored record differs from the cached one: added, changed or removed elsewhere
   * without this process hearing of it. Nothing is applied here: each id is to go through
   * refresh() (by way of its store's changedElsewhere, which fixes the indexes). A local write
   * racing the scan is therefore safe: the scan may flag its id, but refresh() reads after the
   * write has landed and discards its read when a newer local change came meanwhile.
   */
  async differences(): Promise<string[]> {
    const stored = new Set<string>();
    const differ: string[] = [];
    for await (const [key, value] of scanPrefix(this.keyv, `${this.prefix}:`)) {
      if (!this.isRecord(key, value) || stored.has(value.id)) continue;
      stored.add(value.id);
      if (!isDeepStrictEqual(this.items.get(value.id), value)) differ.push(value.id);
    }
    // SCAN returns every key that existed throughout it, so a cached id it did not return
    // was removed (or is a local add still on its way, which refresh() then reads back).
    for (const id of this.items.keys()) if (!stored.has(id)) differ.push(id);
    return differ;
  }

  /** Skips what is not a record of ours (a schema-1 index left by a crash mid-migration). */
  private isRecord(key: string, v: unknown): v is T {
    return !!v && typeof v === 'object' && typeof (v as T).id === 'string' && key === this.key((v as T).id);
  }

  private bump(id: string) {
    this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
  }

  private key(id: string): string {
    return `${this.prefix}:${id}`;
  }
}
