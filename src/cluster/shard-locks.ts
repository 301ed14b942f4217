// Gateway shard ownership: each shard is owned by exactly one process, through a Redis lock
// per shard (SET NX PX, renewed by compare-and-expire). A process takes at most its fair
// share, ceil(shards / live processes), with liveness from a presence set with expiring
// scores; so shards spread out, and when a process dies its locks run out and the others'
// share grows to cover them: a dead owner's shard is taken over within ttl + renew (20 s
// by default). A process that cannot renew (lost Redis) drops its shards at once rather
// than risk a second owner answering the same commands.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface ShardLockOptions {
  redis: Redis;
  prefix: string;
  shardCount: number;
  /** Connect this shard (the lock is held). */
  onAcquire(shard: number): Promise<void>;
  /** Disconnect this shard (the lock is gone or being given back). */
  onLose(shard: number): Promise<void>;
  logger: Logger;
  ttlMs?: number;
  renewMs?: number;
}

export class ShardLocks {
  readonly id = randomUUID();
  private readonly held = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private readonly ttl: number;
  private readonly renewMs: number;

  constructor(private readonly o: ShardLockOptions) {
    this.ttl = o.ttlMs ?? 15_000;
    this.renewMs = o.renewMs ?? 5_000;
  }

  private key = (shard: number) => `${this.o.prefix}shard:${this.o.shardCount}:${shard}`;
  private presence = () => `${this.o.prefix}shard-owners`;

  owned(): number[] {
    return [...this.held].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.ticking = this.tick().finally(loop);
      }, this.renewMs);
      this.timer.unref();
    };
    loop();
  }

  private async lose(shard: number, why: string) {
    if (!this.held.delete(shard)) return;
    this.o.logger.info({ shard, why }, 'gateway shard released');
    await this.o.onLose(shard).catch((err: unknown) => this.o.logger.warn({ err, shard }, 'shard disconnect failed'));
  }

  private async renewAll() {
    for (const shard of this.owned()) {
      if (!Number(await this.o.redis.eval(RENEW, 1, this.key(shard), this.id, this.ttl))) await this.lose(shard, 'lock lost');
    }
  }

  /** One round: heartbeat, renew what is held, give back extras, take free shards up to the share. */
  async tick(): Promise<void> {
    const { redis } = this.o;
    try {
      const now = Date.now();
      await redis.zadd(this.presence(), now + this.ttl, this.id);
      await redis.zremrangebyscore(this.presence(), '-inf', now);
      const live = Math.max(1, await redis.zcard(this.presence()));
      const share = Math.ceil(this.o.shardCount / live);
      await this.renewAll();
      // A process joined: hand the shards over our share back (highest first) for it to take.
      for (const shard of this.owned().slice(share).reverse()) {
        await this.lose(shard, 'rebalancing');
        await redis.eval(RELEASE, 1, this.key(shard), this.id);
      }
      for (let shard = 0; shard < this.o.shardCount && this.held.size < share && !this.stopped; shard++) {
        if (this.held.has(shard)) continue;
        if ((await redis.set(this.key(shard), this.id, 'PX', this.ttl, 'NX')) !== 'OK') continue;
        this.held.add(shard);
        this.o.logger.info({ shard, shards: this.o.shardCount }, 'gateway shard acquired');
        await this.o.onAcquire(shard).catch(async (err: unknown) => {
          this.o.logger.warn({ err, shard }, 'shard connect failed; giving it back');
          this.held.delete(shard);
          await redis.eval(RELEASE, 1, this.key(shard), this.id);
        });
        // A login can take seconds (IDENTIFY pacing): keep every lock fresh between them.
        await this.renewAll();
      }
    } catch (err) {
      // Without Redis the locks cannot be renewed: another process may own them soon.
      this.o.logger.warn({ err }, 'shard locks unreachable; disconnecting owned shards');
      for (const shard of this.owned()) await this.lose(shard, 'Redis unreachable');
    }
  }

  /** Gives every shard back at once, so a rolling restart hands them over without waiting out the TTL. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    for (const shard of this.owned()) {
      await this.lose(shard, 'stopping');
      await this.o.redis.eval(RELEASE, 1, this.key(shard), this.id).catch(() => undefined);
    }
    await this.o.redis.zrem(this.presence(), this.id).catch(() => undefined);
  }
}
