// Per-host politeness, in one place for one process: at most `perHost` requests to one host
// at once (the next may start as soon as one finishes; nothing is counted per tick), and a
// host that answered 429/503 with Retry-After gets no scheduled poll until then. The Poller
// takes slots without waiting (tryAcquire: a busy host must not hold a poll slot); the
// fetcher waits for one (acquire) for requests outside the schedule (a probe, a preview, an
// OPML file) and for a redirect to another host. Both use this one instance, so a poll and
// a probe of a host together stay within FETCH_PER_HOST. A cluster holds the same rule in
// Redis (src/cluster/redis-limits.ts RedisHostGate), for every process at once.
import type { HostSlots } from '../runtime/ports.js';

interface Waiter {
  grant: () => void;
}

export class HostLimiter implements HostSlots {
  private readonly active = new Map<string, number>();
  private readonly paused = new Map<string, number>();
  private readonly waiting = new Map<string, Waiter[]>();
  /** Told when a slot of `host` comes free (the Poller, whose waiting feeds of it may go now). */
  onFree: ((host: string) => void) | undefined;

  constructor(private readonly perHost: number) {}

  /** Takes a slot for `host` when one is free and the host is not paused. */
  tryAcquire(host: string, now: number): boolean {
    if (this.pausedUntil(host, now) !== undefined) return false;
    return this.take(host);
  }

  private take(host: string): boolean {
    const n = this.active.get(host) ?? 0;
    if (n >= this.perHost) return false;
    this.active.set(host, n + 1);
    return true;
  }

  /** Waits for a slot (pauses are the schedule's: a probe asked for by a person goes ahead); rejects after `timeoutMs`. */
  acquire(host: string, timeoutMs: number): Promise<() => void> {
    const once = () => {
      let done = false;
      return () => {
        if (done) return;
        done = true;
        this.release(host);
      };
    };
    if (this.take(host)) return Promise.resolve(once());
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(host) ?? [];
      this.waiting.set(host, list);
      const timer = setTimeout(() => {
        const i = list.indexOf(waiter);
        if (i >= 0) list.splice(i, 1);
        if (!list.length && this.waiting.get(host) === list) this.waiting.delete(host);
        reject(new Error(`timed out waiting for a free connection to ${host}`));
      }, Math.max(0, timeoutMs));
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(once());
        },
      };
      list.push(waiter);
    });
  }

  release(host: string): void {
    // A waiting request takes the slot over directly: the count stays.
    const list = this.waiting.get(host);
    const next = list?.shift();
    if (list && !list.length) this.waiting.delete(host);
    if (next) return next.grant();
    const n = (this.active.get(host) ?? 1) - 1;
    // Idle hosts are dropped so memory follows the hosts in use, not every host ever seen.
    if (n > 0) this.active.set(host, n);
    else this.active.delete(host);
    this.onFree?.(host);
  }

  /** No scheduled poll of `host` before `until` (epoch ms). A later pause never shortens one. */
  pause(host: string, until: number): void {
    if (until > (this.paused.get(host) ?? 0)) this.paused.set(host, until);
  }

  /** When `host` may be polled again, if it is paused now. */
  pausedUntil(host: string, now: number): number | undefined {
    const until = this.paused.get(host);
    if (until === undefined) return undefined;
    if (until <= now) {
      this.paused.delete(host);
      return undefined;
    }
    return until;
  }
}
