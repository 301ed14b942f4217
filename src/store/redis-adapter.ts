// @keyv/redis with a client that fails fast at start and stays closed once closed.
// The stock adapter reconnects on any call after disconnect(), so one late write during
// shutdown (a lease renewal, a delivery finishing) would reopen the connection and keep
// the process alive; here such a call fails instead.
// It also keeps an index of each channel's pending deliveries (delivery-index.ts), written
// in the same MULTI as the deliveries, so draining a channel reads that one sorted set
// instead of SCANning the whole keyspace.
import KeyvRedis, { createClient } from '@keyv/redis';
import { deliveryIndexKey } from './delivery-index.js';

type Entry = { key: string; value: string; ttl?: number };
/** The few MULTI commands used here; the client's own generic types are too heavy for tsc. */
interface Multi {
  set(key: string, value: string, opts?: { PX: number }): Multi;
  del(key: string): Multi;
  zAdd(key: string, member: { score: number; value: string }): Multi;
  zRem(key: string, member: string): Multi;
  exec(): Promise<unknown[]>;
}

// Values are the strings Keyv has already serialised.
class ClosableKeyvRedis extends KeyvRedis<string> {
  // `declare`: no initialiser, so nothing runs after the base constructor sets up.
  declare private closed: boolean | undefined;

  override async getClient(): ReturnType<KeyvRedis<string>['getClient']> {
    if (this.closed) throw new Error('the Redis store is closed');
    return super.getClient();
  }

  override async disconnect(force?: boolean): Promise<void> {
    this.closed = true;
    await super.disconnect(force);
  }

  private async multi(): Promise<Multi> {
    return ((await this.getClient()) as unknown as { multi(): Multi }).multi();
  }

  override async set(key: string, value: string, ttl?: number): Promise<void> {
    if (!deliveryIndexKey(key)) return super.set(key, value, ttl);
    await this.setMany([{ key, value, ...(ttl ? { ttl } : {}) }]);
  }

  override async setMany(entries: Entry[]): Promise<void> {
    if (!entries.some((e) => deliveryIndexKey(e.key))) return super.setMany(entries);
    // One MULTI: a delivery and its index entry (and the rest of the poll) land together.
    const multi = await this.multi();
    for (const { key, value, ttl } of entries) {
      const physical = this.createKeyPrefix(key, this.namespace);
      if (ttl) multi.set(physical, value, { PX: ttl });
      else multi.set(physical, value);
      const index = deliveryIndexKey(key);
      // Score 0: members then sort by name, and the zero-padded seq in the name orders them.
      if (index) multi.zAdd(this.createKeyPrefix(index, this.namespace), { score: 0, value: key });
    }
    await multi.exec();
  }

  override async delete(key: string): Promise<boolean> {
    if (!deliveryIndexKey(key)) return super.delete(key);
    return this.deleteMany([key]);
  }

  override async deleteMany(keys: string[]): Promise<boolean> {
    if (!keys.some((k) => deliveryIndexKey(k))) return super.deleteMany(keys);
    const multi = await this.multi();
    for (const key of keys) {
      multi.del(this.createKeyPrefix(key, this.namespace));
      const index = deliveryIndexKey(key);
      if (index) multi.zRem(this.createKeyPrefix(index, this.namespace), key);
    }
    const results = await multi.exec();
    return results.some((r, i) => i % 2 === 0 && typeof r === 'number' && r > 0);
  }
}

/** Connects before returning, so a bad URL or a down server fails start with its own error. */
export async function openRedisAdapter(url: string, connectTimeoutMs: number): Promise<KeyvRedis<string>> {
  let ready = false;
  const client = createClient({
    url,
    socket: {
      connectTimeout: connectTimeoutMs,
      // Give up on the first failure at start (fail fast); once running, ride out
      // Redis restarts with capped backoff.
      reconnectStrategy: (retries: number) => (ready ? Math.min(100 * 2 ** retries, 5000) : false),
    },
  });
  client.on('error', () => undefined); // reported through Keyv's 'error' once the adapter wraps it
  await client.connect();
  ready = true;
  // throwOnErrors: the adapter would otherwise turn a failed command into "not found".
  return new ClosableKeyvRedis(client, { throwOnErrors: true });
}
