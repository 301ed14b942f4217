// A periodic task that runs one round at a time, and also at once when another process
// publishes on a Redis channel (shard offers, a process joining), so a shard handover takes
// a login rather than up to a whole renew interval. A wake-up during a round queues one more.
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { bounded } from './bounded.js';

export class WakeTicker {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private running = false;
  private again = false;
  private stopped = true;
  private sub: Redis | undefined;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly everyMs: number,
  ) {}

  /** Subscribes (on a connection of its own, as pub/sub requires) and resolves after the first round. */
  async start(redis: Redis, channel: string, logger: Logger): Promise<void> {
    this.stopped = false;
    const sub = (this.sub = redis.duplicate());
    sub.on('error', (err: Error) => logger.debug({ err }, 'wake-up connection error'));
    sub.on('message', () => this.kick());
    await bounded(sub.subscribe(channel), 2000).catch((err: unknown) => logger.warn({ err }, 'wake-ups unavailable; relying on the interval'));
    this.kick();
    await this.ticking;
  }

  /** Runs a round now (or right after the one under way), then every `everyMs`. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = true;
    this.ticking = this.round().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.kick();
      } else if (!this.stopped) {
        this.timer = setTimeout(() => this.kick(), this.everyMs);
        this.timer.unref();
      }
    });
  }

  /** No more rounds; resolves once the one under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    const sub = this.sub;
    this.sub = undefined;
    await sub?.quit().catch(() => sub.disconnect());
  }
}
