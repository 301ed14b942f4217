// One process of a cluster (any Herald on a redis:// store unless HERALD_CLUSTER=false;
// app.ts decides, config.ts resolves the default), assembled from the building
// blocks beside it: poll jobs (poll-queue.ts through cluster-poll.ts's host gate), drain jobs
// (drain-queue.ts over DeliveryQueue.turnOnce), the shared pacer for sends, the Redis health
// check that pauses both workers. The core is created with hooks() and attached in start(),
// because the core's kicks must reach the drain queue before the workers run.
import { Redis } from 'ioredis';
import type { HeraldCore, ClusterHooks } from '../core/herald.js';
import { hostOf, pollFeed } from '../core/poll-feed.js';
import type { Logger } from '../logger.js';
import { clusterPollOne } from './cluster-poll.js';
import { DrainQueue } from './drain-queue.js';
import { pacedSender } from './paced-sender.js';
import { PollQueue } from './poll-queue.js';
import { RedisHealth } from './redis-health.js';
import { RedisHostGate, RedisPacer } from './redis-limits.js';
import { redisTenantPorts } from './redis-tenant.js';

export interface ClusterNodeOptions {
  url: string;
  /** Key prefix of everything the cluster keeps in Redis besides the store. */
  prefix: string;
  logger: Logger;
  pollIntervalMs: number;
  pollConcurrency: number;
  perHost: number;
  /** Bot tokens, hashed into the pacer's keys. */
  tokens: { discord?: string; slack?: string };
  /** How often every feed in the store is given its poll job if it has none; tests shorten it. */
  reconcileEveryMs?: number;
}

/**
 * A feed can reach the store without this process scheduling it: another process's
 * `herald import` or a restore beside a live cluster, a reschedule lost with Redis, a job
 * removed as "feed gone" just before the feed came back. Reconciling is idempotent (a feed
 * with a job keeps it and its time), so every process does it now and then.
 */
const RECONCILE_EVERY_MS = 120_000;

const MAX_HOST_PAUSE_MS = 86_400_000;

export class ClusterNode {
  /** BullMQ's connection (also the shard locks'); its state is this process's readiness. */
  readonly redis: Redis;
  private readonly limits: Redis;
  private readonly polls: PollQueue;
  private readonly drains: DrainQueue;
  private readonly health: RedisHealth;
  private readonly pacer: RedisPacer;
  private readonly gate: RedisHostGate;
  private core: HeraldCore | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: ClusterNodeOptions) {
    const conn = () => {
      const r = new Redis(o.url, { maxRetriesPerRequest: null });
      r.on('error', (err: Error) => o.logger.debug({ err }, 'cluster Redis connection error'));
      return r;
    };
    this.redis = conn();
    this.limits = conn();
    this.pacer = new RedisPacer({ redis: this.limits, prefix: `${o.prefix}:` });
    this.gate = new RedisHostGate({ redis: this.limits, prefix: `${o.prefix}:`, perHost: o.perHost });
    const bull = `${o.prefix}:bull`;
    const gated = clusterPollOne({
      poll: (feedId) => this.pollOne(feedId),
      hostOf: (feedId) => {
        const feed = this.core?.store.feeds.get(feedId);
        return feed ? hostOf(feed.url) : undefined;
      },
      gate: this.gate,
      now: Date.now,
      maxPauseMs: MAX_HOST_PAUSE_MS,
      idleMs: o.pollIntervalMs,
    });
    // The process that polled last may be another one, and a new feed's notification may
    // still be on its way: start from the store's record (a missing one means the feed is gone).
    const pollOne = async (feedId: string) => {
      await this.core!.store.feeds.changedElsewhere(feedId);
      return gated(feedId);
    };
    this.polls = new PollQueue({ connection: this.redis, prefix: bull, pollOne, concurrency: o.pollConcurrency, retryMs: Math.min(o.pollIntervalMs, 60_000), logger: o.logger });
    this.drains = new DrainQueue({ connection: this.redis, prefix: bull, concurrency: 40, logger: o.logger, turn: (key) => this.core!.queue.turnOnce(key) });
    this.health = new RedisHealth(this.redis, [this.polls, this.drains]);
  }

  hooks(): ClusterHooks {
    const { logger } = this.o;
    return {
      kick: (key) => void this.drains.kick(key).catch((err: unknown) => logger.warn({ err, channel: key }, 'drain kick failed; the sweep retries')),
      reschedule: (feedId) => void this.reschedule(feedId).catch((err: unknown) => logger.warn({ err, feedId }, 'poll job not scheduled')),
      wrapSender: (sender) => {
        const token = sender.platform === 'discord' ? this.o.tokens.discord : this.o.tokens.slack;
        return pacedSender(sender, this.pacer, { token: token ?? sender.platform });
      },
      tenantPorts: (budget) => redisTenantPorts({ redis: this.limits, prefix: `${this.o.prefix}:`, ...budget }),
    };
  }

  private async reschedule(feedId: string) {
    const feed = this.core?.store.feeds.get(feedId);
    if (!feed) return;
    await this.polls.schedule(feedId, feed.nextCheckAt);
    // A resumed or new feed due now: a job already waiting further out is brought forward.
    if (feed.nextCheckAt <= Date.now()) await this.polls.pollSoon(feedId);
  }

  private async pollOne(feedId: string) {
    const core = this.core!;
    const { settings } = core;
    return pollFeed(feedId, {
      store: core.store,
      fetcher: core.fetcher,
      queue: core.queue,
      logger: core.logger,
      metrics: core.metrics,
      pollIntervalMs: settings.pollIntervalMs,
      maxFailures: settings.maxFailures,
      maxItemsPerPoll: settings.maxItemsPerPoll,
      now: Date.now,
      nextCheck: (from, ms) => core.poller.nextCheck(from, ms),
      shared: true,
    });
  }

  /** Every feed gets its job (existing jobs keep their time), then both workers start. */
  async start(core: HeraldCore): Promise<void> {
    this.core = core;
    await this.polls.reconcile(core.store.feeds.list());
    this.polls.start();
    this.drains.start();
    await this.drains.sweep();
    const every = this.o.reconcileEveryMs ?? RECONCILE_EVERY_MS;
    // Spread out, so the processes of a cluster do not all reconcile at the same moment.
    this.reconcileTimer = setInterval(() => void this.reconcile(), every * (0.75 + Math.random() * 0.5));
    this.reconcileTimer.unref();
  }

  /** Every feed in the store gets its poll job (those with one keep it); see RECONCILE_EVERY_MS. */
  async reconcile(): Promise<void> {
    const core = this.core;
    if (!core || this.health.check().ready === false) return;
    await this.polls.reconcile(core.store.feeds.list()).catch((err: unknown) => this.o.logger.warn({ err }, 'poll jobs not reconciled; the next round tries again'));
  }

  check(): { ready: boolean; reason?: string } {
    return this.health.check();
  }

  /**
   * Before the core stops: a drain turn of a stopping core would end its job with items
   * left and no mark, so the workers go first (jobs under way finish or go back to the queue).
   */
  async stopWorkers(): Promise<void> {
    clearInterval(this.reconcileTimer);
    this.reconcileTimer = undefined;
    await Promise.allSettled([this.polls.stop(), this.drains.stop()]);
  }

  /** Last, after the shard locks were given back over the same connection. */
  async close(): Promise<void> {
    await this.stopWorkers();
    for (const r of [this.redis, this.limits]) await r.quit().catch(() => r.disconnect());
  }
}
