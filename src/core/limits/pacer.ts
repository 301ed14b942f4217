// Pacing per key (a bot token, a channel): one rule, the generic cell rate algorithm (GCRA),
// for every limiter that spaces sends: Discord's 45/s per bot, Slack's ~1/s per channel,
// a platform bucket that said "empty until t". The in-memory Pacer below serves one process;
// src/cluster/redis-pacer.ts runs the same arithmetic in Redis (redis-scripts.ts PACE) so a
// cluster keeps the same limits however many processes send.

/** At most `burst` back to back after a quiet spell, then one every `intervalMs` on average. */
export interface PaceRule {
  intervalMs: number;
  burst: number;
}

/**
 * Discord allows a bot 50 requests/s; Herald starts at most this many requests a second per
 * bot, every request counted (platforms/discord/bot-rate.ts). Why 45, not 50: Discord counts
 * in one-second windows of its own, which 45 + RATE_BURST never fills, however aligned.
 */
export const DISCORD_PER_SECOND = 45;

/**
 * Small on purpose: a platform that counts requests in one-second windows then sees at
 * most perSecond + RATE_BURST in any window, however its windows and ours are aligned.
 */
export const RATE_BURST = 3;

/** A platform-wide rate (sends started per second) as a pace rule. */
export function ratePace(perSecond: number): PaceRule {
  return { intervalMs: 1000 / perSecond, burst: RATE_BURST };
}

/**
 * A sender's pacing, asked before each send so a channel that must wait is parked on a timer
 * (or a delayed job) instead of sleeping inside the send while it holds a slot.
 */
export interface Pacer {
  /** Epoch ms when `key` may send next under `rule` and any hold (≤ now: now). Takes nothing. */
  readyAt(key: string, rule?: PaceRule): Promise<number>;
  /** Takes one send for `key` when it may go now and returns 0; otherwise takes nothing and returns the ms to wait. */
  take(key: string, rule: PaceRule): Promise<number>;
  /**
   * Takes the next send of `key`, now or later, and returns the ms until it may go (0: now).
   * For a request already on its way (it cannot be parked): it sleeps that long, then goes.
   */
  reserve(key: string, rule: PaceRule): Promise<number>;
  /** Nothing for `key` before `until` (a platform said its bucket is empty until then). */
  hold(key: string, until: number): Promise<void>;
}

/**
 * GCRA: `tat` (theoretical arrival time) is when the key's bucket would be full again minus
 * one interval. A send at `now` conforms when now ≥ tat − (burst − 1) × interval.
 */
export function gcraReadyAt(tat: number, rule: PaceRule): number {
  return tat - (rule.burst - 1) * rule.intervalMs;
}

export function gcraTake(tat: number, now: number, rule: PaceRule): number {
  return Math.max(tat, now) + rule.intervalMs;
}

/** One process's pacing: the whole truth is in this map. */
export class MemoryPacer implements Pacer {
  private readonly tats = new Map<string, number>();
  private readonly holds = new Map<string, number>();

  constructor(private readonly clock: { now(): number }) {}

  readyAtNow(key: string, rule?: PaceRule): number {
    const hold = this.holds.get(key) ?? 0;
    const tat = this.tats.get(key);
    return Math.max(hold, rule && tat !== undefined ? gcraReadyAt(tat, rule) : 0);
  }

  takeNow(key: string, rule: PaceRule): number {
    const now = this.clock.now();
    const ready = this.readyAtNow(key, rule);
    if (ready > now) return ready - now;
    this.tats.set(key, gcraTake(this.tats.get(key) ?? now, now, rule));
    this.prune(now);
    return 0;
  }

  reserveNow(key: string, rule: PaceRule): number {
    const now = this.clock.now();
    const at = Math.max(now, this.readyAtNow(key, rule));
    this.tats.set(key, gcraTake(this.tats.get(key) ?? at, at, rule));
    this.prune(now);
    return at - now;
  }

  async readyAt(key: string, rule?: PaceRule): Promise<number> {
    return this.readyAtNow(key, rule);
  }

  async reserve(key: string, rule: PaceRule): Promise<number> {
    return this.reserveNow(key, rule);
  }

  async take(key: string, rule: PaceRule): Promise<number> {
    return this.takeNow(key, rule);
  }

  async hold(key: string, until: number): Promise<void> {
    if (until > (this.holds.get(key) ?? 0)) this.holds.set(key, until);
    this.prune(this.clock.now());
  }

  /** Keys whose bucket is full again, or whose hold ran out, carry nothing worth keeping. */
  /** Size at which the next sweep runs: twice what a sweep left, so a take costs O(1) amortised even with thousands of live keys. */
  private pruneAt = 1000;

  private prune(now: number) {
    if (this.tats.size + this.holds.size < this.pruneAt) return;
    for (const [key, tat] of this.tats) if (tat <= now) this.tats.delete(key);
    for (const [key, until] of this.holds) if (until <= now) this.holds.delete(key);
    this.pruneAt = Math.max(1000, 2 * (this.tats.size + this.holds.size));
  }
}
