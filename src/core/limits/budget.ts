// Budgets per key (a workspace's feed checks, FEED_CHECKS_PER_MINUTE): up to `capacity` at
// once, regaining `perMinute`. The same arithmetic as the pacer (pacer.ts: a theoretical
// arrival time per key, GCRA), read as a count: unlike a send, a command must not wait, so
// it takes what there is now (takeUpTo) and is told how long until the next one.
// A cluster keeps one budget per workspace in Redis (redis-scripts.ts TAKE_CHECKS).

export class TokenBuckets {
  /** Per key: when its bucket is full again; at or before now means full. */
  private readonly tats = new Map<string, number>();
  private readonly intervalMs: number;

  constructor(
    private readonly capacity: number,
    perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = 60_000 / perMinute;
  }

  /** Whole and partial tokens of `key` now, and its full-again time (never before now). */
  private level(key: string): { tokens: number; tat: number; now: number } {
    const now = this.now();
    const tat = Math.max(this.tats.get(key) ?? now, now);
    return { tokens: this.capacity - (tat - now) / this.intervalMs, tat, now };
  }

  private set(key: string, tat: number, now: number) {
    if (tat <= now) this.tats.delete(key); // full: holds no information
    else this.tats.set(key, tat);
    if (this.tats.size > 10_000) for (const [k, t] of this.tats) if (t <= now) this.tats.delete(k);
  }

  /** Takes up to `n` whole tokens and returns how many it got (0 when the bucket is dry). */
  takeUpTo(key: string, n: number): number {
    const { tokens, tat, now } = this.level(key);
    const got = Math.max(0, Math.min(n, Math.floor(tokens)));
    this.set(key, tat + got * this.intervalMs, now);
    return got;
  }

  /** Gives back tokens taken but not used (e.g. an import that stopped early), up to the capacity. */
  giveBack(key: string, n: number): void {
    const { tat, now } = this.level(key);
    this.set(key, tat - n * this.intervalMs, now);
  }

  /** Milliseconds until one whole token is there. */
  msUntilToken(key: string): number {
    const { tokens } = this.level(key);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * this.intervalMs);
  }
}
