// Polling through BullMQ: one delayed job per feed (job id = feed id). The process that takes
// the job polls the feed, then moves the same job back to "delayed" until the feed's next
// check time. Why this rather than a BullMQ job scheduler per feed: a feed's next check is
// not a fixed period (failure backoff, <ttl>/Cache-Control hints, /feeds resume polls at
// once), and it is only known after the poll. A job that is re-delayed by its own poll
// carries that time exactly, needs no upsert on every change, and there is only ever one job
// per feed, so two processes can never poll a feed at the same time. BullMQ's lock renewal
// and stalled-job check hand the job of a killed process to another within
// lockDuration + stalledInterval (here about 15 s).
import { DelayedError, Queue, Worker, type Job, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { CRASH_RETRY_MS } from '../core/runtime/rules.js';
import { closeWorker } from './close-worker.js';

export interface PollQueueOptions {
  connection: Redis;
  /** BullMQ key prefix; one per cluster (and per test). */
  prefix: string;
  /** Polls one feed; resolves with its next check time, or undefined when the feed is gone. */
  pollOne(feedId: string): Promise<number | undefined>;
  /** Polls this process runs at once (FETCH_CONCURRENCY). */
  concurrency: number;
  /** Used when a poll crashes: try again after this long (CRASH_RETRY_MS unless a test says). */
  retryMs?: number;
  /** A poll crashed; logged as "poll crashed" when absent. */
  onError?(feedId: string, err: unknown): void;
  logger: Logger;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  now?: () => number;
}

export const POLL_QUEUE = 'herald-polls';

/** Job ids may not contain ':' nor look like integers. */
export const pollJobId = (feedId: string) => `feed-${feedId.replaceAll(':', '_')}`;

/** Every list a poll job can be in (completed and failed jobs are removed at once; a paused queue keeps its jobs in wait). */
const LIVE_STATES: JobType[] = ['active', 'wait', 'delayed', 'prioritized'];

interface PollJob {
  feedId: string;
}

export class PollQueue {
  readonly queue: Queue<PollJob>;
  private worker: Worker<PollJob> | undefined;
  private readonly now: () => number;

  constructor(private readonly o: PollQueueOptions) {
    this.now = o.now ?? Date.now;
    this.queue = new Queue<PollJob>(POLL_QUEUE, { connection: o.connection, prefix: o.prefix });
  }

  private jobOpts(feedId: string, at: number) {
    return { jobId: pollJobId(feedId), delay: Math.max(0, at - this.now()), removeOnComplete: true, removeOnFail: true };
  }

  /** Makes sure the feed has its job (a no-op when it has one, whichever state it is in). */
  async schedule(feedId: string, at: number): Promise<void> {
    await this.queue.add('poll', { feedId }, this.jobOpts(feedId, at));
  }

  /**
   * Every feed gets its job; those that exist keep their own time. The job ids are read in
   * one round trip and only missing jobs are added, so a reconcile that finds nothing to do
   * costs one read, not a script per feed. A job that moved between states while read may
   * look missing: adding it again is a no-op (the id exists), so the read needs no atomicity.
   */
  async reconcile(feeds: Iterable<{ id: string; nextCheckAt: number }>, batch = 500): Promise<void> {
    const have = new Set(await this.queue.getRanges(LIVE_STATES, 0, -1));
    let jobs: Parameters<Queue<PollJob>['addBulk']>[0] = [];
    for (const f of feeds) {
      if (have.has(pollJobId(f.id))) continue;
      jobs.push({ name: 'poll', data: { feedId: f.id }, opts: this.jobOpts(f.id, f.nextCheckAt) });
      if (jobs.length >= batch) {
        await this.queue.addBulk(jobs);
        jobs = [];
      }
    }
    if (jobs.length) await this.queue.addBulk(jobs);
  }

  /** Jobs taken by a worker in any process (at most `max`), with the time each was taken. */
  async active(max: number): Promise<{ feedId: string; takenAt?: number }[]> {
    const jobs = await this.queue.getJobs(['active'], 0, max - 1);
    return jobs.map((j) => ({ feedId: (j.data as PollJob).feedId, ...(j.processedOn === undefined ? {} : { takenAt: j.processedOn }) }));
  }

  /** Poll as soon as possible (a resumed feed): promotes the delayed job, if it is waiting. */
  async pollSoon(feedId: string): Promise<void> {
    const job = await this.queue.getJob(pollJobId(feedId));
    if (!job) return this.schedule(feedId, this.now());
    if (await job.isDelayed()) await job.promote().catch(() => undefined); // already taken: fine
  }

  /** Starts taking poll jobs in this process. */
  start(): void {
    this.worker ??= new Worker<PollJob>(POLL_QUEUE, (job, token) => this.process(job, token), {
      connection: this.o.connection,
      prefix: this.o.prefix,
      concurrency: this.o.concurrency,
      lockDuration: this.o.lockDurationMs ?? 10_000,
      stalledInterval: this.o.stalledIntervalMs ?? 5_000,
      // A job only stalls when its process died or lost Redis; it must never be given up.
      maxStalledCount: Number.MAX_SAFE_INTEGER,
    });
    this.worker.on('error', (err) => this.o.logger.warn({ err }, 'poll worker error'));
  }

  private async process(job: Job<PollJob>, token?: string): Promise<void> {
    const { feedId } = job.data;
    let next: number | undefined;
    try {
      next = await this.o.pollOne(feedId);
    } catch (err) {
      if (this.o.onError) this.o.onError(feedId, err);
      else this.o.logger.error({ err, feedId }, 'poll crashed');
      next = this.now() + (this.o.retryMs ?? CRASH_RETRY_MS);
    }
    if (next === undefined) return; // feed removed: the job completes and is deleted
    await job.moveToDelayed(Math.max(next, this.now()), token);
    throw new DelayedError();
  }

  /** Lost Redis (RedisHealth): take no new jobs; those under way lose their locks to others. */
  async pause(): Promise<void> {
    await this.worker?.pause(true);
  }

  resume(): void {
    this.worker?.resume();
  }

  /** Stops taking jobs and waits for polls under way (up to `graceMs`, then leaves them to stall). */
  async stop(graceMs = 3000): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await closeWorker(w, graceMs);
    await this.queue.close();
  }
}
