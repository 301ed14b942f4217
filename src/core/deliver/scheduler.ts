// Which channel sends next. Channels take turns of one message each, round-robin, with
// at most `size` turns in flight per platform. A channel is always in exactly one place:
// ready (waiting for a slot), running (one turn in flight), timed (backoff or pacing), or
// idle. That keeps per-channel order, bounds the work handed to platform clients (no
// promise per pending channel), and lets a channel that must wait give its slot away.

import { CRASH_RETRY_MS } from '../runtime/rules.js';
import { RateGate } from '../limits/rate-gate.js';

/** What a channel's turn asks for next. */
export type TurnResult = { next: 'again' } | { next: 'idle' } | { next: 'at'; at: number };

export interface GroupLimits {
  name: string;
  /** Turns in flight at once. */
  size: number;
  /** Turns started per second, evenly spaced with a small burst; undefined = no limit. */
  perSecond?: number;
}

export interface SchedulerOptions {
  /** Concurrency group of a key (the platform) and its limits. */
  groupOf(key: string): GroupLimits;
  turn(key: string): Promise<TurnResult>;
  onError(key: string, err: unknown): void;
  now(): number;
}

interface Group extends GroupLimits {
  running: number;
  /** Insertion-ordered: the front waited longest. */
  ready: Set<string>;
  gate?: RateGate;
}

export class ChannelScheduler {
  private readonly groups = new Map<string, Group>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly timed = new Map<string, NodeJS.Timeout>();
  /** Kicked while running: there may be new work the running turn did not see. */
  private readonly rekick = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {}

  /** Schedules a turn for a channel, unless one is running, ready, or waiting for its time. */
  kick(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.rekick.add(key);
      return;
    }
    if (this.timed.has(key)) return; // a retry delay is not cut short by new items
    const group = this.group(key);
    group.ready.add(key);
    this.pump(group);
  }

  /** Channels that have a turn in flight (tests, metrics). */
  get active(): number {
    return this.running.size;
  }

  /** Resolves once nothing is running, ready or timed. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops scheduling; resolves when the turns in flight finish or after timeoutMs. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    for (const t of this.timed.values()) clearTimeout(t);
    this.timed.clear();
    for (const g of this.groups.values()) {
      g.ready.clear();
      g.gate?.cancel();
    }
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.running.values()]), limit]);
    clearTimeout(timer);
    this.settleIdle();
  }

  private group(key: string): Group {
    const limits = this.o.groupOf(key);
    let g = this.groups.get(limits.name);
    if (!g) {
      g = { ...limits, running: 0, ready: new Set() };
      if (limits.perSecond) g.gate = new RateGate(limits.perSecond, this.o.now);
      this.groups.set(limits.name, g);
    }
    return g;
  }

  private pump(group: Group): void {
    while (!this.stopped && group.running < group.size && group.ready.size && (group.gate?.take(() => this.pump(group)) ?? true)) {
      const key = group.ready.values().next().value as string;
      group.ready.delete(key);
      group.running++;
      const run = this.o
        .turn(key)
        .catch((err: unknown): TurnResult => {
          this.o.onError(key, err);
          return { next: 'at', at: this.o.now() + CRASH_RETRY_MS };
        })
        .then((result) => {
          group.running--;
          this.running.delete(key);
          this.after(key, group, result);
          this.pump(group);
          this.settleIdle();
        });
      this.running.set(key, run);
    }
  }

  private after(key: string, group: Group, result: TurnResult): void {
    const kicked = this.rekick.delete(key);
    if (this.stopped) return;
    if (result.next === 'again' || (result.next === 'idle' && kicked)) {
      group.ready.add(key); // to the back of the line: round-robin across channels
    } else if (result.next === 'at') {
      const wait = Math.max(0, result.at - this.o.now());
      const t = setTimeout(() => {
        this.timed.delete(key);
        this.kick(key);
      }, wait);
      this.timed.set(key, t);
    }
  }

  private isIdle(): boolean {
    if (this.running.size || this.timed.size) return false;
    for (const g of this.groups.values()) if (g.ready.size || g.gate?.waiting) return false;
    return true;
  }

  private settleIdle(): void {
    if (!this.idleWaiters.length || (!this.stopped && !this.isIdle())) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
