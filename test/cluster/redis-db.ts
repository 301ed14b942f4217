// Cluster tests use their own Redis dbs (1–15; db 0 holds the namespaced store tests), one
// db per test file, flushed by it: never FLUSHALL. Taken: 1 poll-reconcile, 2 cluster-poll, 3 shard-locks, 4 e2e cluster-rolling,
// 5 cluster-default, 6 shared-state, 7 tenant-cluster, 8 poll-commit, 9 shared-store, 10 redis-limits/redis-health, 11 poll-queue, 12 drain-queue, 13 bench:cluster (never run with the tests),
// 14 e2e cluster, 15 drain-delivery; 1 poll-reconcile and 7 tenant-cluster delete only their own namespaced keys.
// Locally a missing Redis skips with a notice; with CI=true it fails.
import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { TEST_REDIS_PORT } from '../support/services.js';

export const CI = process.env.CI === 'true';

/** The suite's private redis-server (test/support/global-services.ts), never a developer's own. */
export const REDIS_PORT = TEST_REDIS_PORT ?? 0;
export const redisUp = TEST_REDIS_PORT !== undefined;
if (!redisUp && !CI) console.warn('[cluster tests] no redis-server binary to start a private Redis: skipping (required with CI=true)');

export const describeRedis: typeof describe = (redisUp || CI ? describe : describe.skip) as typeof describe;

export const redisUrl = (db: number) => `redis://127.0.0.1:${REDIS_PORT}/${db}`;

/** A connection to `db`, flushed first. BullMQ wants maxRetriesPerRequest: null on its connections. */
export async function freshDb(db: number): Promise<Redis> {
  if (db < 1 || db > 15) throw new Error(`cluster tests own Redis dbs 1-15 only, not ${db}`);
  const redis = new Redis({ host: '127.0.0.1', port: REDIS_PORT, db, maxRetriesPerRequest: null });
  await redis.flushdb();
  return redis;
}
