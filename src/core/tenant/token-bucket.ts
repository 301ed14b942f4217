// Token buckets keyed by tenant: each key holds up to `capacity` tokens and regains
// `perMinute` of them a minute. Unlike the delivery RateGate (a per-second pacer that waits
// for its next token), a command must not wait: it is told now how long until it may go.

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  private refill(key: string): { tokens: number; at: number } {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) * this.perMinute) / 60_000);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.sweep();
    return b;
  }

  /** Takes up to `n` whole tokens and returns how many it got (0 when the bucket is dry). */
  takeUpTo(key: string, n: number): number {
    const b = this.refill(key);
    const got = Math.max(0, Math.min(n, Math.floor(b.tokens)));
    b.tokens -= got;
    return got;
  }

  /** Gives back tokens taken but not used (e.g. an import that stopped early). */
  giveBack(key: string, n: number): void {
    const b = this.refill(key);
    b.tokens = Math.min(this.capacity, b.tokens + n);
  }

  /** Milliseconds until one whole token is there. */
  msUntilToken(key: string): number {
    const b = this.refill(key);
    return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) * 60_000) / this.perMinute);
  }

  /** Full buckets hold no information: forget them so the map stays as small as the activity. */
  private sweep() {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((this.now() - b.at) * this.perMinute) / 60_000 >= this.capacity) this.buckets.delete(key);
    }
  }
}
