import type Keyv from 'keyv';
import { DELIVERY_PREFIX } from './delivery-index.js';
import { KeyedSerial } from '../domain/keyed-serial.js';
import type { Delivery } from '../domain/records.js';
import { scanPrefix } from './scan-prefix.js';

/**
 * Pending deliveries, one ordered queue per channel (key from channelKey()), oldest first.
 * Each delivery is its own key, `delivery:<channel>|<seq>`, so appending or removing one
 * costs one write however long the queue. `seq` grows with each append and orders the
 * channel's queue; the queues are cached in memory and read back only at start.
 * Shared (a cluster, issue 14): other processes append to and drain the same channels, so
 * every list() re-reads that channel's keys and no stale queue is ever served.
 */
export interface OutboxStore {
  /** Channel keys that have pending deliveries. */
  channels(): Promise<string[]>;
  list(channel: string): Promise<Delivery[]>;
  /** Appends at the end; ids already pending in the channel are skipped. */
  append(channel: string, deliveries: Delivery[]): Promise<void>;
  /**
   * Several channels at once, in one atomic write: either all land or none (one poll's items).
   * `also`: other keys written in that same write (the feed's seen ids, commitPoll).
   */
  appendMany(batches: [channel: string, deliveries: Delivery[]][], also?: { key: string; value: unknown }[]): Promise<void>;
  /** Removes deliveries by id (sent, dropped or obsolete). */
  remove(channel: string, ids: string[]): Promise<void>;
  /** Rewrites one pending delivery in place (e.g. its attempt count); nothing if it is gone. */
  update(channel: string, delivery: Delivery): Promise<void>;
  replace(channel: string, deliveries: Delivery[]): Promise<void>;
  clear(channel: string): Promise<void>;
}

export { DELIVERY_PREFIX };

interface Entry {
  seq: number;
  d: Delivery;
}

/** 16 digits: wide enough for Date.now() * 1000, and keys then sort in seq order too. */
export const deliveryKey = (channel: string, seq: number) => `${DELIVERY_PREFIX}${channel}|${String(seq).padStart(16, '0')}`;

function parseKey(key: string): { channel: string; seq: number } | undefined {
  const rest = key.slice(DELIVERY_PREFIX.length);
  const bar = rest.lastIndexOf('|');
  const seq = Number(rest.slice(bar + 1));
  return bar > 0 && Number.isSafeInteger(seq) ? { channel: rest.slice(0, bar), seq } : undefined;
}

export interface OutboxOptions {
  /** Several processes write these keys: re-read a channel before each use. */
  shared?: boolean;
}

export async function createOutboxStore(keyv: Keyv, opts: OutboxOptions = {}): Promise<OutboxStore> {
  /** Per channel, entries by delivery id in seq order. Only what is written is here. */
  const queues = new Map<string, Map<string, Entry>>();
  /** Ids being appended, so a second append of one id while the first is in flight is skipped. */
  const inFlight = new Map<string, Set<string>>();
  const writes = new KeyedSerial();
  let lastSeq = 0;

  async function load(prefix: string, only?: string): Promise<void> {
    const loaded: [string, Entry][] = [];
    for await (const [key, value] of scanPrefix(keyv, prefix)) {
      const where = parseKey(key);
      const d = value as Delivery | undefined;
      if (!where || !d || typeof d.id !== 'string' || (only !== undefined && where.channel !== only)) continue;
      loaded.push([where.channel, { seq: where.seq, d }]);
      lastSeq = Math.max(lastSeq, where.seq);
    }
    // Sorting by seq also orders channels by their oldest delivery, like first-append order.
    loaded.sort((a, b) => a[1].seq - b[1].seq);
    if (only !== undefined) queues.delete(only);
    else queues.clear();
    for (const [channel, e] of loaded) insert(channel, e);
  }
  await load(DELIVERY_PREFIX);
  const fresh = async (channel: string) => {
    if (opts.shared) await load(`${DELIVERY_PREFIX}${channel}|`, channel);
  };

  // Time-based, so seqs keep growing across restarts even if the newest rows were removed.
  // Shared: random low digits, so two processes appending in one millisecond do not collide.
  function nextSeq(): number {
    const base = Date.now() * 1000 + (opts.shared ? Math.floor(Math.random() * 1000) : 0);
    lastSeq = Math.max(lastSeq + 1, base);
    return lastSeq;
  }

  function insert(channel: string, e: Entry) {
    let q = queues.get(channel);
    if (!q) queues.set(channel, (q = new Map()));
    let last: Entry | undefined;
    for (const x of q.values()) last = x;
    q.set(e.d.id, e);
    // Appends whose writes finished out of order: restore seq order (rare, so a rebuild).
    if (last && last.seq > e.seq) queues.set(channel, new Map([...q.entries()].sort((a, b) => a[1].seq - b[1].seq)));
  }

  function drop(channel: string, id: string) {
    const q = queues.get(channel);
    if (!q) return;
    q.delete(id);
    if (!q.size) queues.delete(channel);
  }

  const appendMany = async (batches: [string, Delivery[]][], also: { key: string; value: unknown }[] = []) => {
    const planned: { channel: string; key: string; e: Entry }[] = [];
    for (const [channel] of batches) await fresh(channel);
    for (const [channel, deliveries] of batches) {
      const flying = inFlight.get(channel) ?? new Set<string>();
      for (const d of deliveries) {
        if (queues.get(channel)?.has(d.id) || flying.has(d.id)) continue;
        flying.add(d.id);
        const seq = nextSeq();
        planned.push({ channel, key: deliveryKey(channel, seq), e: { seq, d } });
      }
      if (flying.size) inFlight.set(channel, flying);
    }
    if (!planned.length && !also.length) return;
    try {
      const keys = planned.map((p) => p.key);
      await writes.runMany(keys, () => keyv.setMany([...planned.map((p) => ({ key: p.key, value: p.e.d as unknown })), ...also]));
      // Visible only once written: a delivery sent and removed must never be written after.
      for (const p of planned) insert(p.channel, p.e);
    } finally {
      for (const p of planned) {
        const flying = inFlight.get(p.channel);
        flying?.delete(p.e.d.id);
        if (flying && !flying.size) inFlight.delete(p.channel);
      }
    }
  };

  const remove = async (channel: string, ids: string[]) => {
    const q = queues.get(channel);
    const gone = ids.flatMap((id) => {
      const e = q?.get(id);
      return e ? [e] : [];
    });
    if (!gone.length) return;
    for (const e of gone) drop(channel, e.d.id);
    const keys = gone.map((e) => deliveryKey(channel, e.seq));
    try {
      await writes.runMany(keys, () => keyv.deleteMany(keys));
    } catch (error) {
      // Still in the store, so still pending: keep the cache equal to it.
      for (const e of gone) insert(channel, e);
      throw error;
    }
  };

  return {
    channels: async () => {
      if (opts.shared) await load(DELIVERY_PREFIX);
      return [...queues.keys()];
    },
    list: async (channel) => {
      await fresh(channel);
      return [...(queues.get(channel)?.values() ?? [])].map((e) => e.d);
    },
    append: (channel, deliveries) => appendMany([[channel, deliveries]]),
    appendMany,
    remove,
    async update(channel, delivery) {
      const old = queues.get(channel)?.get(delivery.id);
      if (!old) return;
      const e: Entry = { seq: old.seq, d: delivery };
      queues.get(channel)!.set(delivery.id, e);
      const key = deliveryKey(channel, old.seq);
      try {
        await writes.run(key, () => keyv.set(key, delivery));
      } catch (error) {
        if (queues.get(channel)?.get(delivery.id) === e) queues.get(channel)!.set(delivery.id, old);
        throw error;
      }
    },
    async replace(channel, deliveries) {
      // Rare (tests, tools): the old entries go, the new ones get fresh seqs in this order.
      await remove(channel, [...(queues.get(channel)?.keys() ?? [])]);
      await appendMany([[channel, deliveries]]);
    },
    clear: (channel) => remove(channel, [...(queues.get(channel)?.keys() ?? [])]),
  };
}
