// Reads every key under one prefix, for loading a collection at start. Keyv's own iterator
// is no use here: it walks the whole namespace (every feed's seen list with it), and the
// SQLite adapter pages with OFFSET, which makes a scan of N keys cost O(N²). Each backend
// gets one ordered range query instead (keyset pages on SQL, SCAN MATCH on Redis, or on
// Redis one channel's delivery index).
import type Keyv from 'keyv';
import { channelIndexOf, DELIVERY_PREFIX, deliveryIndexKey } from './delivery-index.js';

const PAGE = 1000;

interface SqlStore {
  opts: { dialect?: string; table: string; schema?: string };
  query(sql: string, ...params: unknown[]): Promise<{ key: string; value: string }[]>;
}
interface RedisStore {
  getClient(): Promise<{
    scan(cursor: string, opts: { MATCH: string; COUNT: number }): Promise<{ cursor: string | number; keys: string[] }>;
    mGet(keys: string[]): Promise<(string | null)[]>;
    zRange(key: string, start: number, stop: number): Promise<string[]>;
    zAdd(key: string, members: { score: number; value: string }[]): Promise<unknown>;
  }>;
}

/** Glob characters in a namespace must match themselves in Redis SCAN MATCH. */
const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/** The smallest string greater than every string starting with `prefix`. */
const upperBound = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

async function* sqliteRows(store: SqlStore, physical: string): AsyncGenerator<[string, string]> {
  const t = store.opts.table;
  let after = '';
  for (;;) {
    // BINARY collation: the range is exactly the prefix, and it uses the primary key index.
    const rows = await store.query(`SELECT key, value FROM ${t} WHERE key >= ? AND key < ? AND key > ? ORDER BY key LIMIT ${PAGE}`, [physical, upperBound(physical), after]);
    for (const r of rows) yield [r.key, r.value];
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.key;
  }
}

async function* postgresRows(store: SqlStore, physical: string): AsyncGenerator<[string, string]> {
  const t = `"${(store.opts.schema ?? 'public').replace(/"/g, '""')}"."${store.opts.table.replace(/"/g, '""')}"`;
  let after = '';
  for (;;) {
    // starts_with, not LIKE: no wildcard escaping; COLLATE "C" keeps paging and ordering consistent.
    const rows = await store.query(`SELECT key, value FROM ${t} WHERE starts_with(key, $1) AND key COLLATE "C" > $2 ORDER BY key COLLATE "C" LIMIT ${PAGE}`, [physical, after]);
    for (const r of rows) yield [r.key, r.value];
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.key;
  }
}

async function* redisRows(store: RedisStore, physicalNs: string, prefix: string): AsyncGenerator<[string, string]> {
  const client = await store.getClient();
  const index = channelIndexOf(prefix);
  if (index) {
    // One channel's deliveries: its index names them (delivery-index.ts), no keyspace SCAN.
    const members = await client.zRange(physicalNs + index, 0, -1);
    for (let i = 0; i < members.length; i += PAGE) {
      const keys = members.slice(i, i + PAGE).map((m) => physicalNs + m);
      const values = await client.mGet(keys);
      // A member whose key is gone (a backfill racing a removal) is skipped.
      for (const [j, k] of keys.entries()) if (values[j] != null) yield [k, values[j]!];
    }
    return;
  }
  let cursor = '0';
  do {
    const page = await client.scan(cursor, { MATCH: `${escapeGlob(physicalNs + prefix)}*`, COUNT: PAGE });
    cursor = String(page.cursor);
    // SCAN may return a key twice; callers key their maps by id, so a repeat is harmless.
    if (page.keys.length) {
      const values = await client.mGet(page.keys);
      // Deliveries written before the index existed join it here (the outbox scans them all at start).
      if (prefix === DELIVERY_PREFIX) await backfill(client, physicalNs, page.keys);
      for (const [i, k] of page.keys.entries()) if (values[i] != null) yield [k, values[i]!];
    }
  } while (cursor !== '0');
}

async function backfill(client: Awaited<ReturnType<RedisStore['getClient']>>, physicalNs: string, keys: string[]) {
  const byIndex = new Map<string, string[]>();
  for (const physical of keys) {
    const key = physical.slice(physicalNs.length);
    const index = deliveryIndexKey(key);
    if (!index) continue;
    const members = byIndex.get(index);
    if (members) members.push(key);
    else byIndex.set(index, [key]);
  }
  for (const [index, members] of byIndex) await client.zAdd(physicalNs + index, members.map((value) => ({ score: 0, value })));
}

/** Every [key, value] whose key starts with `prefix` (keys without the namespace), in no promised order. */
export async function* scanPrefix(keyv: Keyv, prefix: string): AsyncGenerator<[string, unknown]> {
  const store = keyv.store as Partial<SqlStore & RedisStore> & object;
  const ns = keyv.namespace;
  if (store instanceof Map || (!('query' in store) && !('getClient' in store))) {
    // In-memory stores (tests): Keyv's own iterator is fine.
    if (!keyv.iterator) throw new Error('this store cannot list its keys');
    for await (const [key, value] of keyv.iterator(ns)) if (typeof key === 'string' && key.startsWith(prefix)) yield [key, value];
    return;
  }
  // How each adapter writes `key` under the namespace (see open-keyv.ts).
  const isRedis = typeof store.getClient === 'function';
  const physicalNs = ns ? (isRedis ? `${ns}::` : `${ns}:`) : '';
  const physical = physicalNs + prefix;
  const rows = isRedis ? redisRows(store as RedisStore, physicalNs, prefix) : store.opts?.dialect === 'postgres' ? postgresRows(store as SqlStore, physical) : sqliteRows(store as SqlStore, physical);
  for await (const [key, raw] of rows) {
    const data = await keyv.deserializeData<unknown>(raw);
    if (data) yield [key.slice(physicalNs.length), data.value];
  }
}
