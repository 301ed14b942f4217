// The cluster's PollScheduler: one BullMQ delayed job per feed (poll-queue.ts), run through the
// Redis host gate (cluster-poll.ts). Status is answered cluster-wide, at query time (it is asked
// seldom: /feeds status, a metrics scrape), so a poll writes nothing for it: overdue feeds are
// those whose stored due time (every process has the store) is past the grace and whose poll
// is not under way in any process (its BullMQ job active and its host slot held, see
// underWay()); the last poll start is the latest of the stored check times and of those polls.
// Its in-process twin is core/poller.ts.
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
  /** BullMQ's prefix (`…:bull`). */
  bullPrefix: string;
  gate: RedisHostGate;
  clock: Clock;
  logger: Logger;
  pollIntervalMs: number;
  concurrency: number;
}

/** Polls under way read for status(): more than every process's FETCH_CONCURRENCY together. */
const ACTIVE_READ_MAX = 1000;
/** /feeds status and a metrics scrape must answer while Redis is away: from the store alone then. */
const STATUS_WITHIN_MS = 1000;

export class ClusterScheduler implements PollScheduler {
  readonly polls: PollQueue;

  constructor(private readonly o: ClusterSchedulerOptions) {
    const { work, clock } = o;
    const gated = clusterPollOne({
      poll: (feedId) => {
        work.onStart(feedId, work.feeds.get(feedId)?.nextCheckAt ?? clock.now());
        return work.poll(feedId);
      },
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
    const { work } = this.o;
    const underWay = await bounded(this.underWay(), STATUS_WITHIN_MS).catch((err: unknown) => {
      this.o.logger.debug({ err }, 'polls under way not read from Redis; counting from the store alone');
      return new Map<string, number | undefined>();
    });
    let last = Number.NEGATIVE_INFINITY;
    for (const at of underWay.values()) if (at !== undefined) last = Math.max(last, at);
    let overdue = 0;
    let earliest = Number.POSITIVE_INFINITY;
    for (const f of work.feeds.list()) {
      // A poll stores its start as lastCheckAt when it ends; every process has the record.
      if (f.lastCheckAt !== undefined) last = Math.max(last, f.lastCheckAt);
      if (f.failingPaused || f.nextCheckAt >= now - OVERDUE_GRACE_MS || underWay.has(f.id)) continue;
      overdue++;
      earliest = Math.min(earliest, f.nextCheckAt);
    }
    const status: SchedulerStatus = { overdue, maxLagMs: overdue ? now - earliest : 0 };
    if (Number.isFinite(last)) status.lastPollAt = last;
    return status;
  }

  /**
   * Polls under way in any process, feed id → when its job was taken: an active job whose feed
   * holds a slot of its host. An active job without one found its host full and is going back
   * to delayed: that feed has not started and may be overdue. Two round trips, bounded.
   */
  private async underWay(): Promise<Map<string, number | undefined>> {
    const active = await this.polls.active(ACTIVE_READ_MAX);
    const hosts = new Set<string>();
    for (const job of active) {
      const feed = this.o.work.feeds.get(job.feedId);
      if (feed) hosts.add(hostOf(feed.url));
    }
    const holding = await this.o.gate.holders(hosts);
    return new Map(active.filter((j) => holding.has(j.feedId)).map((j) => [j.feedId, j.takenAt]));
  }
}
