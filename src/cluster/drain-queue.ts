// Delivery through BullMQ: one drain job per channel at a time (job id = channel), so only
// one process ever sends to a channel and per-channel order holds however many run.
// A kick while a drain is running is ignored by BullMQ (the job id exists), so a "dirty" set
// records that there may be new work: the drain clears its channel's mark before reading the
// outbox and loops if it was set again meanwhile; when a drain completes, the worker re-adds
// it if the mark came back in the instant between the last check and completion; a sweep
// re-adds any marked channel whose process died before doing so. An item appended during a
// drain is therefore never stranded. The outbox (not the job) holds the deliveries, and an
// entry leaves it only after the platform accepted it, so a SIGKILLed process repeats at
// most the one post it had in flight; BullMQ hands its stalled drain to another process.
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TurnResult } from '../core/deliver/scheduler.js';
import type { Logger } from '../logger.js';
import { CRASH_RETRY_MS } from '../core/runtime/rules.js';
import { closeWorker } from './close-worker.js';

export interface DrainQueueOptions {
  connection: Redis;
  prefix: string;
  /** One message for one channel (DeliveryQueue's turn): send it, or say when to come back. */
  turn(key: string): Promise<TurnResult>;
  /**
   * A per-turn platform rate (DEFAULT_RATES; Discord's is per request, in its sender), cluster-wide: takes a start for this
   * channel's turn and resolves 0, or resolves the ms until one is free (nothing taken).
   */
  rate?(key: string): Promise<number>;
  /** A turn threw; logged when absent. */
  onError?(key: string, err: unknown): void;
  /** Channels this process drains at once. */
  concurrency: number;
  logger: Logger;
  sweepMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  now?: () => number;
}

export const DRAIN_QUEUE = 'herald-drains';

/** Channel keys are `platform:workspace:channel`; BullMQ job ids may not contain ':'. */
export const drainJobId = (key: string) => `ch-${Buffer.from(key).toString('base64url')}`;

interface DrainJob {
  key: string;
}

export class DrainQueue {
  readonly queue: Queue<DrainJob>;
  private worker: Worker<DrainJob> | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly dirtyKey: string;
  private readonly now: () => number;

  constructor(private readonly o: DrainQueueOptions) {
    this.now = o.now ?? Date.now;
    this.queue = new Queue<DrainJob>(DRAIN_QUEUE, { connection: o.connection, prefix: o.prefix });
    this.dirtyKey = `${o.prefix}:herald:dirty-channels`;
  }

  private add(key: string) {
    return this.queue.add('drain', { key }, { jobId: drainJobId(key), removeOnComplete: true, removeOnFail: true });
  }

  /** There may be new work for this channel: mark it, then make sure a drain exists. */
  async kick(key: string): Promise<void> {
    await this.o.connection.sadd(this.dirtyKey, key);
    await this.add(key);
  }

  start(): void {
    if (this.worker) return;
    this.worker = new Worker<DrainJob>(DRAIN_QUEUE, (job, token) => this.process(job, token), {
      connection: this.o.connection,
      prefix: this.o.prefix,
      concurrency: this.o.concurrency,
      lockDuration: this.o.lockDurationMs ?? 10_000,
      stalledInterval: this.o.stalledIntervalMs ?? 5_000,
      maxStalledCount: Number.MAX_SAFE_INTEGER,
    });
    this.worker.on('error', (err) => this.o.logger.warn({ err }, 'drain worker error'));
    this.worker.on('completed', (job) => void this.recheck(job.data.key));
    this.sweeper = setInterval(() => void this.sweep(), this.o.sweepMs ?? 5000);
    this.sweeper.unref();
  }

  private async recheck(key: string) {
    try {
      if (await this.o.connection.sismember(this.dirtyKey, key)) await this.add(key);
    } catch (err) {
      this.o.logger.warn({ err, channel: key }, 'drain re-check failed; the sweep will retry');
    }
  }

  /** Re-adds a drain for every marked channel (a no-op for those that have one). */
  async sweep(): Promise<void> {
    try {
      const keys = await this.o.connection.smembers(this.dirtyKey);
      for (let i = 0; i < keys.length; i += 500) {
        await this.queue.addBulk(keys.slice(i, i + 500).map((key) => ({ name: 'drain', data: { key }, opts: { jobId: drainJobId(key), removeOnComplete: true, removeOnFail: true } })));
      }
    } catch (err) {
      this.o.logger.warn({ err }, 'drain sweep failed');
    }
  }

  private async process(job: Job<DrainJob>, token?: string): Promise<void> {
    const { key } = job.data;
    for (;;) {
      await this.o.connection.srem(this.dirtyKey, key);
      for (;;) {
        let r: TurnResult;
        try {
          const wait = (await this.o.rate?.(key)) ?? 0;
          // The platform's rate is spent: give the slot away until a start is free.
          r = wait > 0 ? { next: 'at', at: this.now() + wait } : await this.o.turn(key);
        } catch (err) {
          if (this.o.onError) this.o.onError(key, err);
          else this.o.logger.error({ err, channel: key }, 'delivery turn failed; retrying the channel shortly');
          r = { next: 'at', at: this.now() + CRASH_RETRY_MS };
        }
        if (r.next === 'again') continue;
        if (r.next === 'at') {
          // Backoff or pacing: give the worker slot away; the same job resumes then.
          await job.moveToDelayed(r.at, token);
          throw new DelayedError();
        }
        break;
      }
      if (!(await this.o.connection.sismember(this.dirtyKey, key))) return;
    }
  }

  /** True when no channel is marked and no drain job is waiting, delayed or running (tests). */
  async isIdle(): Promise<boolean> {
    if (await this.o.connection.scard(this.dirtyKey)) return false;
    const counts = await this.queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  }

  /** Lost Redis (RedisHealth): take no new jobs; those under way lose their locks to others. */
  async pause(): Promise<void> {
    await this.worker?.pause(true);
  }

  resume(): void {
    this.worker?.resume();
  }

  async stop(graceMs = 5000): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const w = this.worker;
    this.worker = undefined;
    await closeWorker(w, graceMs);
    await this.queue.close();
  }
}
