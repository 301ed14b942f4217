// Gateway shard ownership: each shard is owned by exactly one process, through a Redis lock
// per shard (SET NX PX, renewed by compare-and-expire). A process takes at most its fair
// share, ceil(shards / live processes), with liveness from a presence set with expiring
// scores; so shards spread out, and when a process dies its locks run out and the others'
// share grows to cover them: a dead owner's shard is taken over within ttl + renew (20 s
// by default). A process that cannot renew (lost Redis) drops its shards at once rather
// than risk a second owner answering the same commands. A shard given away on purpose
// (SIGTERM, or a rebalance when a process joins) is handed over make-before-break
// (shard-handover.ts), since Discord drops the interactions of a shard nobody is connected to.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { bounded } from './bounded.js';
import { UNLOCK } from './redis-scripts.js';
import { ShardHandover } from './shard-handover.js';
import { WakeTicker } from './wake-ticker.js';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/**
 * The cluster's connection queues commands while Redis is away instead of failing them, so
 * every call here is cut off: a lock that cannot be renewed within this is treated as lost.
 */
const REDIS_WITHIN_MS = 2000;
const r = <T>(p: Promise<T>) => bounded(p, REDIS_WITHIN_MS);

export interface ShardLockOptions {
  redis: Redis;
  prefix: string;
  shardCount: number;
  /** Connect this shard (the lock is held, or about to be taken over from its owner). */
  onAcquire(shard: number): Promise<void>;
  /** Disconnect this shard (the lock is gone or being given back). */
  onLose(shard: number): Promise<void>;
  logger: Logger;
  ttlMs?: number;
  renewMs?: number;
  /** How long a leaving owner stays connected waiting for its successor (default 5 s, inside a 10 s stop). */
  handoverMs?: number;
}

export class ShardLocks {
  readonly id = randomUUID();
  private readonly held = new Set<number>();
  /** Held shards on offer: still connected, no longer counted in the share. */
  private readonly offering = new Set<number>();
  private readonly handovers = new Set<Promise<void>>();
  /** Set by stop(): take nothing more. */
  private stopped = false;
  private readonly ttl: number;
  private readonly ho: ShardHandover;
  private readonly ticker: WakeTicker;

  constructor(private readonly o: ShardLockOptions) {
    this.ttl = o.ttlMs ?? 15_000;
    this.ho = new ShardHandover(o.redis, o.prefix, o.shardCount, o.handoverMs ?? 5_000);
    this.ticker = new WakeTicker(() => this.tick(), o.renewMs ?? 5_000);
  }

  private key = (shard: number) => this.ho.lockKey(shard);
  private presence = () => `${this.o.prefix}shard-owners`;
  private keeping = () => this.held.size - this.offering.size;

  owned(): number[] {
    return [...this.held].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    this.stopped = false;
    // Offers and joins wake every process at once, so a handover takes a login, not a tick.
    await this.ticker.start(this.o.redis, this.ho.channel(), this.o.logger);
    await r(this.o.redis.publish(this.ho.channel(), 'join')).catch(() => undefined);
  }

  private async lose(shard: number, why: string) {
    if (!this.held.delete(shard)) return;
    this.o.logger.info({ shard, why }, 'gateway shard released');
    await this.o.onLose(shard).catch((err: unknown) => this.o.logger.warn({ err, shard }, 'shard disconnect failed'));
  }

  private async renewAll() {
    // A shard on offer had its lock refreshed for the whole handover; its successor may own it now.
    for (const shard of this.owned().filter((s) => !this.offering.has(s))) {
      if (!Number(await r(this.o.redis.eval(RENEW, 1, this.key(shard), this.id, this.ttl)))) await this.lose(shard, 'lock lost');
    }
  }

  /**
   * Offers a held shard and stays connected until a successor has its session up. With no
   * successor in the window a stopping process lets go; a rebalancing one keeps the shard
   * (a gap would lose commands) and offers it again at its next tick.
   */
  private handOver(shard: number, why: 'stopping' | 'rebalancing'): Promise<void> {
    if (this.offering.has(shard) || !this.held.has(shard)) return Promise.resolve();
    this.offering.add(shard);
    const run = (async () => {
      const outcome = await bounded(this.ho.handOff(shard, this.id, this.ttl), this.ho.windowMs + 1000).catch(() => 'Redis unreachable' as const);
      this.offering.delete(shard);
      if (outcome === 'no successor' && why === 'rebalancing') {
        await r(this.ho.withdraw(shard, this.id, { keepLock: true })).catch(() => undefined);
        return;
      }
      await this.lose(shard, outcome === 'handed over' ? `${why}: handed over` : outcome === 'no successor' ? `${why}: no successor within ${this.ho.windowMs} ms` : outcome);
      // Disconnected first: a Redis that does not answer must not keep a session open.
      if (outcome !== 'handed over') await r(this.ho.withdraw(shard, this.id)).catch(() => undefined);
    })();
    this.handovers.add(run);
    void run.finally(() => this.handovers.delete(run));
    return run;
  }

  /** Connects a shard another process offered; the lock becomes ours once our session is up. */
  private async takeOver(shard: number, from: string) {
    if (!(await r(this.ho.claim(shard, this.id)))) return;
    try {
      await this.o.onAcquire(shard);
    } catch (err) {
      this.o.logger.warn({ err, shard }, 'shard connect failed; leaving it to its owner');
      await this.o.onLose(shard).catch(() => undefined); // a half-open session must not linger
      return;
    }
    if (await r(this.ho.swap(shard, from, this.id, this.ttl)).catch(() => false)) {
      this.held.add(shard);
      this.o.logger.info({ shard, shards: this.o.shardCount, from: 'handover' }, 'gateway shard acquired');
    } else {
      this.o.logger.info({ shard }, 'shard handover lost to another process; disconnecting');
      await this.o.onLose(shard).catch(() => undefined);
    }
  }

  /** One round: heartbeat, renew what is held, offer extras, take offers and free shards up to the share. */
  async tick(): Promise<void> {
    const { redis } = this.o;
    try {
      // Known to be down: drop at once rather than wait for the calls to time out.
      if (redis.status !== 'ready' && this.held.size) throw new Error(`Redis connection ${redis.status}`);
      const now = Date.now();
      await r(redis.zadd(this.presence(), now + this.ttl, this.id));
      await r(redis.zremrangebyscore(this.presence(), '-inf', now));
      const live = Math.max(1, await r(redis.zcard(this.presence())));
      const share = Math.ceil(this.o.shardCount / live);
      await this.renewAll();
      // A process joined: offer the shards over our share (highest first) for it to take.
      const kept = this.owned().filter((s) => !this.offering.has(s));
      for (const shard of kept.slice(share).reverse()) void this.handOver(shard, 'rebalancing');
      for (const { shard, owner } of await r(this.ho.offered(this.id, this.held))) {
        if (this.keeping() >= share || this.stopped) break;
        await this.takeOver(shard, owner);
      }
      for (let shard = 0; shard < this.o.shardCount && this.keeping() < share && !this.stopped; shard++) {
        if (this.held.has(shard)) continue;
        if ((await r(redis.set(this.key(shard), this.id, 'PX', this.ttl, 'NX'))) !== 'OK') continue;
        this.held.add(shard);
        this.o.logger.info({ shard, shards: this.o.shardCount }, 'gateway shard acquired');
        await this.o.onAcquire(shard).catch(async (err: unknown) => {
          this.o.logger.warn({ err, shard }, 'shard connect failed; giving it back');
          this.held.delete(shard);
          await this.o.onLose(shard).catch(() => undefined); // a half-open session must not linger
          await r(redis.eval(UNLOCK, 1, this.key(shard), this.id));
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

  /**
   * Leaves the presence set first (so the others' share grows to cover ours), hands every
   * shard over while still connected, and gives back whatever found no successor in time.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.ticker.stop();
    const { redis } = this.o;
    await r(redis.zrem(this.presence(), this.id)).catch(() => undefined);
    const others = await r(redis.zcount(this.presence(), Date.now(), '+inf')).catch(() => 0);
    if (others > 0) await Promise.all(this.owned().map((shard) => this.handOver(shard, 'stopping')));
    await Promise.all([...this.handovers]);
    const left = this.owned();
    for (const shard of left) await this.lose(shard, 'stopping');
    await Promise.all(left.map((shard) => r(redis.eval(UNLOCK, 1, this.key(shard), this.id)).catch(() => undefined)));
  }
}
