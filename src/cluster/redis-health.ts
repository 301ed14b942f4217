// Readiness of a cluster process: without Redis it can neither renew its job locks nor its
// shard locks, so others will take that work over; it must stop taking work itself and say
// so on /readyz (a load balancer then sends HTTP interactions elsewhere). ioredis reports
// the connection's state through events; BullMQ reconnects on its own when Redis is back.
import type { Redis } from 'ioredis';

export interface Pausable {
  pause(): Promise<void> | void;
  resume(): void;
}

export class RedisHealth {
  private ready: boolean;
  private reason = 'Redis not connected yet';
  /** Workers are resumed only after this paused them, never on the first connect. */
  private paused = false;

  constructor(
    conn: Redis,
    private readonly workers: Pausable[] = [],
  ) {
    this.ready = conn.status === 'ready';
    conn.on('ready', () => this.set(true));
    for (const e of ['close', 'end', 'reconnecting'] as const) conn.on(e, () => this.set(false, `Redis connection ${e === 'reconnecting' ? 'lost; reconnecting' : 'closed'}`));
    conn.on('error', (err: Error) => {
      if (!this.ready) this.reason = `Redis unreachable: ${err.message}`;
    });
  }

  private set(ready: boolean, reason = '') {
    if (ready === this.ready) return;
    this.ready = ready;
    this.reason = reason;
    if (ready && this.paused) for (const w of this.workers) w.resume();
    if (!ready && !this.paused) for (const w of this.workers) void Promise.resolve(w.pause()).catch(() => undefined);
    this.paused = !ready;
  }

  /** Pauses and resumes this worker with the connection too (workers are built after the health check). */
  watch(worker: Pausable): void {
    this.workers.push(worker);
  }

  /** For the readiness check: `{ready}` or `{ready: false, reason}`. */
  check(): { ready: boolean; reason?: string } {
    return this.ready ? { ready: true } : { ready: false, reason: this.reason };
  }
}
