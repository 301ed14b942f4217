// Per-tenant limits for a cluster (issue 14): the feed-check budget of a workspace is one
// token bucket in Redis, and its cap check + add runs under a Redis lock, so neither the
// per-minute budget nor the subscription caps nor "one subscription per feed and channel"
// multiply with the number of processes. See src/core/tenant/ports.ts for the contract.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { KeyedSerial } from '../domain/keyed-serial.js';
import { UserError } from '../domain/errors.js';
import type { BudgetSettings, SubscriptionChange, TenantPorts } from '../core/tenant/ports.js';
import { RECORD_CHANGE, TAKE_CHECKS, UNLOCK } from './redis-scripts.js';

type Scripted = Redis & {
  heraldTakeChecks(key: string, capacity: number, perMinute: number, n: number): Promise<[number, number]>;
  heraldUnlock(key: string, token: string): Promise<number>;
  heraldRecordChange(version: string, changes: string, change: string, keepMs: number): Promise<number>;
};

function withTenantScripts(redis: Redis): Scripted {
  const r = redis as Scripted;
  if (typeof r.heraldTakeChecks === 'function') return r;
  redis.defineCommand('heraldTakeChecks', { numberOfKeys: 1, lua: TAKE_CHECKS });
  redis.defineCommand('heraldUnlock', { numberOfKeys: 1, lua: UNLOCK });
  redis.defineCommand('heraldRecordChange', { numberOfKeys: 2, lua: RECORD_CHANGE });
  return r;
}

export interface RedisTenantOptions extends BudgetSettings {
  redis: Redis;
  /** Key prefix shared by the cluster, e.g. `herald:`. */
  prefix: string;
  /** A holder that dies keeps the lock at most this long (longer than any attach's writes). */
  lockMs?: number;
  /** How long a command waits for a workspace's lock before it is told to try again. */
  maxWaitMs?: number;
  /**
   * How long changes are listed to later lock holders: longer than the change bus takes to
   * tell every process, including a resync after a lost pub/sub connection (5 minutes).
   */
  keepChangesMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const encode = (c: SubscriptionChange) => `${c.added ? '+' : '-'}${c.subscriptionId} ${c.feedId}`;
function decode(text: string): SubscriptionChange | undefined {
  const space = text.indexOf(' ');
  if (space < 2) return undefined;
  return { added: text[0] === '+', subscriptionId: text.slice(1, space), feedId: text.slice(space + 1) };
}

export function redisTenantPorts(o: RedisTenantOptions): TenantPorts {
  const r = withTenantScripts(o.redis);
  const lockMs = o.lockMs ?? 30_000;
  const maxWaitMs = o.maxWaitMs ?? 15_000;
  const keepMs = o.keepChangesMs ?? 10 * 60_000;
  const k = (key: string) => ({
    bucket: `${o.prefix}tenant:${key}:checks`,
    lock: `${o.prefix}tenant:${key}:lock`,
    version: `${o.prefix}tenant:${key}:version`,
    changes: `${o.prefix}tenant:${key}:changes`,
  });
  // This process's own commands for one workspace queue here first, as on a single Herald,
  // so only other processes' holders count against maxWaitMs: a burst of subscribes to one
  // server (all on one gateway shard) must not poll the Redis lock and time out.
  const local = new KeyedSerial();
  const take = async (key: string, n: number) => {
    const [got, wait] = await r.heraldTakeChecks(k(key).bucket, o.capacity, o.perMinute, n);
    return { got: Number(got), wait: Number(wait) };
  };

  async function acquire(lock: string): Promise<string> {
    const token = randomUUID();
    const deadline = Date.now() + maxWaitMs;
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      if ((await r.set(lock, token, 'PX', lockMs, 'NX')) === 'OK') return token;
      // Bounded: a command must answer inside the platform's reply window.
      if (Date.now() + pause > deadline) throw new UserError('Herald is busy with other subscription changes in this server or workspace. Try again in a moment.');
      await sleep(pause + Math.random() * pause);
    }
  }

  return {
    checks: {
      takeUpTo: async (key, n) => (n > 0 ? (await take(key, n)).got : 0),
      giveBack: async (key, n) => void (n > 0 && (await take(key, -n))),
      msUntilToken: async (key) => (await take(key, 0)).wait,
    },
    guard: {
      run: (key, fn) =>
        local.run(key, async () => {
          const keys = k(key);
          const token = await acquire(keys.lock);
          try {
            const [version, changes] = await Promise.all([r.get(keys.version), r.zrange(keys.changes, 0, -1)]);
            const recent = changes.map(decode).filter((c): c is SubscriptionChange => c !== undefined);
            return await fn(recent, Number(version ?? 0));
          } finally {
            await r.heraldUnlock(keys.lock, token).catch(() => undefined); // gone with Redis: its lease ends it
          }
        }),
      async record(key, change) {
        const keys = k(key);
        return Number(await r.heraldRecordChange(keys.version, keys.changes, encode(change), keepMs));
      },
    },
  };
}
