// The cluster runtime (any Herald on a redis:// store unless HERALD_CLUSTER=false; app.ts
// decides): the core's ports over Redis. Polls are BullMQ delayed jobs through the Redis host
// gate (cluster-scheduler.ts), deliveries are drain jobs (drain-queue.ts), pacing and tenant
// limits live in Redis, and a health check pauses both workers while Redis is away. app.ts
// builds it before the core and hands it in; the core builds each port with its own work,
// so nothing here holds a reference back to the core. Its twin: core/runtime/local.ts.
import { Redis } from 'ioredis';
import { ratePace } from '../core/limits/pacer.js';
import { systemClock, type Clock, type Dispatcher, type HostSlots, type PollScheduler, type Runtime } from '../core/runtime/ports.js';
import type { BudgetSettings, TenantPorts } from '../core/tenant/ports.js';
import type { Logger } from '../logger.js';
import type { ShardOwnership } from '../core/runtime/shard-ownership.js';
import { ClusterScheduler } from './cluster-scheduler.js';
import { DrainQueue } from './drain-queue.js';
import { RedisHealth } from './redis-health.js';
import { RedisHostGate, RedisPacer, tokenKey } from './redis-limits.js';
import { redisTenantPorts } from './redis-tenant.js';
import { redisShardOwnership } from './shard-ownership.js';

export interface ClusterRuntimeOptions {
  url: string;
  /** Key prefix of everything the cluster keeps in Redis besides the store. */
  prefix: string;
  logger: Logger;
  pollIntervalMs: number;
  pollConcurrency: number;
  perHost: number;
  /** Each platform's bot identity (its module's pacingKey), hashed into the keys of the platform-wide rates. */
  tokens: Partial<Record<string, string>>;
  clock?: Clock;
}

/** Channels a process drains at once (DEFAULT_CONCURRENCY in one process). */
const DRAIN_CONCURRENCY = 40;

export class ClusterRuntime implements Runtime {
  readonly kind = 'cluster' as const;
  readonly shared = true;
  readonly clock: Clock;
  readonly pacer: RedisPacer;
  /** BullMQ's connection (also the shard locks'); its state is this process's readiness. */
  readonly redis: Redis;
  private readonly limits: Redis;
  private readonly gate: RedisHostGate;
  /** The fetcher's per-host slots are the cluster's: a probe counts against FETCH_PER_HOST everywhere. */
  readonly hosts: HostSlots;
  private readonly health: RedisHealth;
  private readonly workers: { stop(): Promise<void> }[] = [];
  private readonly keyPrefix: string;

  constructor(private readonly o: ClusterRuntimeOptions) {
    const conn = () => {
      const r = new Redis(o.url, { maxRetriesPerRequest: null });
      r.on('error', (err: Error) => o.logger.debug({ err }, 'cluster Redis connection error'));
      return r;
    };
    this.clock = o.clock ?? systemClock;
    this.keyPrefix = `${o.prefix}:`;
    this.redis = conn();
    this.limits = conn();
    this.pacer = new RedisPacer({ redis: this.limits, prefix: this.keyPrefix, clock: this.clock });
    this.gate = new RedisHostGate({ redis: this.limits, prefix: this.keyPrefix, perHost: o.perHost });
    this.health = new RedisHealth(this.redis);
    const gate = this.gate;
    this.hosts = {
      async acquire(host, timeoutMs) {
        const release = await gate.acquire(host, AbortSignal.timeout(Math.max(1, timeoutMs)), { ignorePause: true });
        return () => void release().catch(() => undefined); // a lost release frees itself with its lease
      },
    };
  }

  scheduler(work: Parameters<Runtime['scheduler']>[0]): PollScheduler {
    const s = new ClusterScheduler({
      work,
      connection: this.redis,
      bullPrefix: `${this.o.prefix}:bull`,
      gate: this.gate,
      clock: this.clock,
      logger: this.o.logger,
      pollIntervalMs: this.o.pollIntervalMs,
      concurrency: this.o.pollConcurrency,
    });
    // The poll worker itself is BullMQ's: a health pause must reach it.
    this.health.watch(s.polls);
    this.workers.push(s);
    return s;
  }

  dispatcher(work: Parameters<Runtime['dispatcher']>[0]): Dispatcher {
    const tokenOf = (platform: string) => tokenKey(this.o.tokens[platform] ?? platform);
    const drains = new DrainQueue({
      connection: this.redis,
      prefix: `${this.o.prefix}:bull`,
      concurrency: DRAIN_CONCURRENCY,
      logger: this.o.logger,
      now: () => this.clock.now(),
      turn: (key) => work.turn(key),
      onError: (key, err) => work.onError(key, err),
      // The platform-wide rate of one process (DEFAULT_RATES), as one shared key per bot.
      rate: async (key) => {
        const group = work.groupOf(key);
        return group.perSecond ? this.pacer.take(`rate:${group.name}:${tokenOf(group.name)}`, ratePace(group.perSecond)) : 0;
      },
    });
    this.health.watch(drains);
    this.workers.push(drains);
    const { logger } = this.o;
    return {
      kick: (key) => void drains.kick(key).catch((err: unknown) => logger.warn({ err, channel: key }, 'drain kick failed; the sweep retries')),
      async start() {
        drains.start();
        await drains.sweep();
      },
      stop: () => drains.stop(),
      async idle() {
        while (!(await drains.isIdle())) await new Promise((r) => setTimeout(r, 50));
      },
    };
  }

  tenantPorts(budget: BudgetSettings): TenantPorts {
    return redisTenantPorts({ redis: this.limits, prefix: this.keyPrefix, ...budget });
  }

  /** Discord gateway shards owned one process each, through Redis locks (shard-locks.ts). */
  shardOwnership(logger: Logger): ShardOwnership {
    return redisShardOwnership({ redis: this.redis, prefix: this.keyPrefix, logger });
  }

  check(): { ready: boolean; reason?: string } {
    return this.health.check();
  }

  /**
   * Before the core stops: a drain turn of a stopping core would end its job with items
   * left and no mark, so the workers go first (jobs under way finish or go back to the queue).
   */
  async stopWorkers(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.stop()));
  }

  /** Last, after the shard locks were given back over the same connection. */
  async close(): Promise<void> {
    await this.stopWorkers();
    for (const r of [this.redis, this.limits]) await r.quit().catch(() => r.disconnect());
  }
}
