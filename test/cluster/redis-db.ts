// Redis for the cluster tests: every describeRedis block starts a private redis-server of its
// own (test/support/redis-server.ts) before its tests and stops it after them, so test files
// never share a database and no one keeps a list of db numbers. The accessors below give the
// running server of this file; use them inside describeRedis, in or after its beforeAll.
// Without a redis-server binary the block skips with a notice; with CI=true it fails.
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { describeNeeds } from '../support/needs.js';
import { redisMissing, startRedisServer, type RedisServer } from '../support/redis-server.js';

let current: RedisServer | undefined;

export function describeRedis(title: string, body: () => void): void {
  describeNeeds(redisMissing, title, () => {
    let server: RedisServer | undefined;
    // Registered before the body's hooks: it starts first and, afterAll running in reverse
    // order, stops last, after the tests have closed their connections and processes.
    beforeAll(async () => {
      server = current = await startRedisServer();
    }, 20_000);
    afterAll(async () => {
      await server?.stop();
      if (current === server) current = undefined;
    });
    body();
  });
}

function server(): RedisServer {
  if (!current) throw new Error('no private Redis yet: call this inside describeRedis, in or after its beforeAll');
  return current;
}

/** The port of this file's private redis-server. */
export const redisPort = (): number => server().port;

/** redis://127.0.0.1:<port>/<db> of this file's private redis-server (db 0 unless a test needs two). */
export const redisUrl = (db = 0): string => server().url(db);

/** A connection to this file's server, db flushed first. BullMQ wants maxRetriesPerRequest: null. */
export async function freshDb(db = 0): Promise<Redis> {
  const redis = new Redis({ host: '127.0.0.1', port: redisPort(), db, maxRetriesPerRequest: null });
  await redis.flushdb();
  return redis;
}
