// A keyv-backed collection kept fully in memory. Herald holds the instance lease
// (see lease.ts), so no other process writes these keys and the cache stays true.
import type Keyv from 'keyv';

export interface Identified {
  id: string;
}

export class CachedCollection<T extends Identified> {
  private readonly items = new Map<string, T>();
  // Writes to one key are chained so an older value can never land after a newer one.
  private indexWrite: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly keyv: Keyv,
    private readonly prefix: string,
  ) {}

  static async load<T extends Identified>(keyv: Keyv, prefix: string): Promise<CachedCollection<T>> {
    const c = new CachedCollection<T>(keyv, prefix);
    const ids = ((await keyv.get(`${prefix}:index`)) as string[] | undefined) ?? [];
    const values = ids.length ? ((await keyv.getMany(ids.map((id) => `${prefix}:${id}`))) as (T | undefined)[]) : [];
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
    const isNew = !this.items.has(item.id);
    this.items.set(item.id, item);
    await this.keyv.set(`${this.prefix}:${item.id}`, item);
    if (isNew) await this.writeIndex();
  }

  async remove(id: string): Promise<boolean> {
    if (!this.items.delete(id)) return false;
    await this.keyv.delete(`${this.prefix}:${id}`);
    await this.writeIndex();
    return true;
  }

  private writeIndex(): Promise<unknown> {
    this.indexWrite = this.indexWrite
      .catch(() => undefined)
      .then(() => this.keyv.set(`${this.prefix}:index`, [...this.items.keys()]));
    return this.indexWrite;
  }
}
