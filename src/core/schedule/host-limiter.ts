// Per-host politeness: at most `perHost` requests to one host at once (the next may start as
// soon as one finishes; nothing is counted per tick), and a host that answered 429/503 with
// Retry-After gets no request at all until then, whichever of its feeds is due.
// The in-process Poller's; a cluster holds the same rule in Redis (src/cluster/redis-limits.ts).

export class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly paused = new Map<string, number>();

  constructor(private readonly perHost: number) {}

  tryAcquire(host: string, now: number): boolean {
    if (this.pausedUntil(host, now) !== undefined) return false;
    const n = this.active.get(host) ?? 0;
    if (n >= this.perHost) return false;
    this.active.set(host, n + 1);
    return true;
  }

  release(host: string): void {
    const n = (this.active.get(host) ?? 1) - 1;
    // Idle hosts are dropped so memory follows the hosts in use, not every host ever seen.
    if (n > 0) this.active.set(host, n);
    else this.active.delete(host);
  }

  pause(host: string, until: number): void {
    if (until > (this.paused.get(host) ?? 0)) this.paused.set(host, until);
  }

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
