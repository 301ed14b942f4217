// The cluster's PollScheduler: one BullMQ delayed job per feed (poll-queue.ts), run through the
// Redis host gate (cluster-poll.ts). Status is answered cluster-wide: overdue feeds are those
// whose stored due time (every process has the store) is past the grace and whose poll has
// not started in any process (a Redis hash of polls under way); the last poll start is kept
// in Redis too. Its in-process twin is core/poller.ts.
import type { Redis } from 'ioredis';
import { hostOf } from '../core/poll-feed.js';
import type { Clock, PollScheduler, PollWork, SchedulerStatus } from '../core/runtime/ports.js';
import { OVERDUE_GRACE_MS } from '../core/runtime/rules.js';
import { spreadDue } from '../core/schedule/next-check.js';
import type { Logger } from '../logger.js';
import { bounded } from './bounded.js';
import { clusterPollOne } from './cluster-poll.js';
import { PollQueue } from './poll-queue.js';
import type { RedisHostGate } from './redis-limits.js';

export interface ClusterSchedulerOptions {
  work: PollWork;
  /** BullMQ's connection. */
  connection: Redis;
  /** For the status keys (the limits' connection). */
  redis: Redis;
  /** BullMQ's prefix (`…:bull`). */
  bullPrefix: string;
  /** Key prefix of the cluster's own keys (`herald:cluster:`). */
  prefix: string;
  gate: RedisHostGate;
  clock: Clock;
  logger: Logger;
  pollIntervalMs: number;
  concurrency: number;
}

/** A poll entry older than this belongs to a process that died mid-poll (fetches end within 20 s). */
const STALE_POLL_MS = 120_000;
/** /feeds status and a metrics scrape must answer while Redis is away: from the store alone then. */
const STATUS_WITHIN_MS = 1000;

export class ClusterScheduler implements PollScheduler {
  readonly polls: PollQueue;
  private readonly polling: string;
  private readonly lastPoll: string;

  constructor(private readonly o: ClusterSchedulerOptions) {
    this.polling = `${o.prefix}polling`;
    this.lastPoll = `${o.prefix}last-poll`;
    const { work, clock } = o;
    const gated = clusterPollOne({
      poll: (feedId) => this.run(feedId),
      hostOf: (feedId) => {
        const feed = work.feeds.get(feedId);
        return feed && !feed.failingPaused ? hostOf(feed.url) : undefined;
      },
      gate: o.gate,
      now: () => clock.now(),
    });
    this.polls = new PollQueue({
      connection: o.connection,
      prefix: o.bullPrefix,
      concurrency: o.concurrency,
      logger: o.logger,
      now: () => clock.now(),
      onError: (feedId, err) => work.onError(feedId, err),
      // The process that polled last may be another one, and a new feed's notification may
      // still be on its way: start from the store's record (a missing one means the feed is gone).
      pollOne: async (feedId) => {
        await work.feeds.changedElsewhere(feedId);
        return gated(feedId);
      },
    });
  }

  /** One poll with its slot held: noted in Redis while under way, so status() is cluster-wide. */
  private async run(feedId: string) {
    const { work, clock, redis } = this.o;
    const started = clock.now();
    work.onStart(feedId, work.feeds.get(feedId)?.nextCheckAt ?? started);
    await redis.multi().hset(this.polling, feedId, String(started)).set(this.lastPoll, String(started)).exec();
    try {
      return await work.poll(feedId);
    } finally {
      await redis.hdel(this.polling, feedId).catch(() => undefined);
    }
  }

  /** Every feed gets its job (existing jobs keep their time; overdue ones are spread), then the worker starts. */
  async start(): Promise<void> {
    const now = this.o.clock.now();
    const feeds = this.o.work.feeds.list().filter((f) => !f.failingPaused);
    await this.polls.reconcile(feeds.map((f) => ({ id: f.id, nextCheckAt: spreadDue(f.nextCheckAt, now, this.o.pollIntervalMs) })));
    this.polls.start();
  }

  async stop(graceMs?: number): Promise<void> {
    await this.polls.stop(graceMs);
  }

  reschedule(feedId: string): void {
    void this.place(feedId).catch((err: unknown) => this.o.logger.warn({ err, feedId }, 'poll job not scheduled'));
  }

  private async place(feedId: string) {
    const feed = this.o.work.feeds.get(feedId);
    if (!feed || feed.failingPaused) return; // its job ends at its next run
    await this.polls.schedule(feedId, feed.nextCheckAt);
    // A resumed or new feed due now: a job already waiting further out is brought forward.
    if (feed.nextCheckAt <= this.o.clock.now()) await this.polls.pollSoon(feedId);
  }

  /** Idempotent: a feed with a job keeps it and its time. */
  async reconcile(): Promise<void> {
    await this.polls.reconcile(this.o.work.feeds.list().filter((f) => !f.failingPaused));
  }

  async status(): Promise<SchedulerStatus> {
    const now = this.o.clock.now();
    const { redis } = this.o;
    const [polling, last] = await bounded(Promise.all([redis.hgetall(this.polling), redis.get(this.lastPoll)]), STATUS_WITHIN_MS).catch((err: unknown) => {
      this.o.logger.debug({ err }, 'poll status not read from Redis; counting from the store alone');
      return [{}, null] as [Record<string, string>, string | null];
    });
    const underWay = new Set<string>();
    const stale: string[] = [];
    for (const [id, at] of Object.entries(polling)) {
      if (now - Number(at) < STALE_POLL_MS) underWay.add(id);
      else stale.push(id);
    }
    // Left by a process that died mid-poll: dropped, so the hash stays as small as the polls under way.
    if (stale.length) void redis.hdel(this.polling, ...stale).catch(() => undefined);
    let overdue = 0;
    let earliest = Number.POSITIVE_INFINITY;
    for (const f of this.o.work.feeds.list()) {
      if (f.failingPaused || f.nextCheckAt >= now - OVERDUE_GRACE_MS || underWay.has(f.id)) continue;
      overdue++;
      earliest = Math.min(earliest, f.nextCheckAt);
    }
    const status: SchedulerStatus = { overdue, maxLagMs: overdue ? now - earliest : 0 };
    if (last !== null) status.lastPollAt = Number(last);
    return status;
  }
}
