// Limits that hold across every Herald process on one Redis: per-host politeness for polls
// (at most FETCH_PER_HOST fetches at once, cluster-wide, and a shared Retry-After pause) and
// the cluster's Pacer (core/limits/pacer.ts: the same GCRA rule as one process, in Redis).
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Pacer, PaceRule } from '../core/limits/pacer.js';
import type { Clock } from '../core/runtime/ports.js';
import { ACQUIRE, PACE, PAUSE, RELEASE } from './redis-scripts.js';

/** A bot token is never a Redis key: a short hash of it is. */
export const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);

type PaceMode = 'take' | 'peek' | 'reserve';

type Scripted = Redis & {
  heraldAcquire(sem: string, pause: string, limit: number, token: string, leaseMs: number): Promise<number>;
  heraldRelease(sem: string, token: string): Promise<number>;
  heraldPause(pause: string, ms: number): Promise<number>;
  heraldPace(tat: string, hold: string, intervalMs: string, burst: number, mode: PaceMode): Promise<number>;
};

/** Registers the scripts once per connection (ioredis caches them by SHA, EVALSHA first). */
export function withScripts(redis: Redis): Scripted {
  const r = redis as Scripted;
  if (typeof r.heraldAcquire === 'function') return r;
  redis.defineCommand('heraldAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  redis.defineCommand('heraldRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('heraldPause', { numberOfKeys: 1, lua: PAUSE });
  redis.defineCommand('heraldPace', { numberOfKeys: 2, lua: PACE });
  return r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HostGateOptions {
  redis: Redis;
  /** Key prefix shared by the cluster, e.g. `herald:`. */
  prefix: string;
  perHost: number;
  /** A holder that dies keeps its slot at most this long (longer than the slowest fetch). */
  leaseMs?: number;
  /** Longest sleep between tries while a host is full. */
  maxWaitMs?: number;
}

/** Per-host politeness, cluster-wide: acquire a slot, fetch, release; pause on Retry-After. */
export class RedisHostGate {
  private readonly r: Scripted;
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;

  constructor(private readonly o: HostGateOptions) {
    this.r = withScripts(o.redis);
    this.leaseMs = o.leaseMs ?? 60_000;
    this.maxWaitMs = o.maxWaitMs ?? 100;
  }

  private keys(host: string) {
    return { sem: `${this.o.prefix}host:${host}:slots`, pause: `${this.o.prefix}host:${host}:pause` };
  }

  /**
   * One try: a release function when a slot was free, else the ms to wait before the next try.
   * `ignorePause`: a fetch outside the schedule (a probe someone asked for) ignores Retry-After
   * pauses, as in one process (core/limits/host-slots.ts); it still counts against the slots.
   * `holder`: who holds the slot (a feed id, no spaces), readable by holders() while it does.
   */
  async tryAcquire(host: string, o: { ignorePause?: boolean; holder?: string } = {}): Promise<{ release: () => Promise<void> } | { waitMs: number }> {
    const k = this.keys(host);
    const token = o.holder === undefined ? randomUUID() : `${o.holder} ${randomUUID()}`;
    const wait = Number(await this.r.heraldAcquire(k.sem, o.ignorePause ? `${k.sem}:never-paused` : k.pause, this.o.perHost, token, this.leaseMs));
    if (wait > 0) return { waitMs: wait };
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.r.heraldRelease(k.sem, token);
      },
    };
  }

  /** Waits for a slot (or until `signal` aborts, then throws). */
  async acquire(host: string, signal?: AbortSignal, o: { ignorePause?: boolean } = {}): Promise<() => Promise<void>> {
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const got = await this.tryAcquire(host, o);
      if ('release' in got) return got.release;
      // A pause says exactly how long; a full host is retried soon with jitter, so waiters
      // on several processes do not wake in lockstep.
      const backoff = Math.min(this.maxWaitMs, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
      await sleep(got.waitMs > 1 ? got.waitMs : backoff);
    }
  }

  /** Who holds a slot of these hosts now (the `holder` of tryAcquire), in one pipelined round trip. */
  async holders(hosts: Iterable<string>): Promise<Set<string>> {
    const pipe = this.o.redis.pipeline();
    for (const host of hosts) pipe.zrange(this.keys(host).sem, 0, -1);
    const out = new Set<string>();
    if (!pipe.length) return out;
    for (const [err, tokens] of (await pipe.exec()) ?? []) {
      if (err) throw err;
      for (const t of tokens as string[]) if (t.includes(' ')) out.add(t.slice(0, t.indexOf(' ')));
    }
    return out;
  }

  /** A host answered 429/503 with Retry-After: every process holds off that host. */
  async pause(host: string, ms: number): Promise<void> {
    await this.r.heraldPause(this.keys(host).pause, Math.max(1, Math.ceil(ms)));
  }
}

/** The cluster's Pacer: every process asks the same keys, so a limit holds however many send. */
export class RedisPacer implements Pacer {
  private readonly r: Scripted;

  constructor(private readonly o: { redis: Redis; prefix: string; clock: Clock }) {
    this.r = withScripts(o.redis);
  }

  private ask(key: string, rule: PaceRule | undefined, mode: PaceMode): Promise<number> {
    const k = `${this.o.prefix}pace:${key}`;
    return this.r.heraldPace(`${k}:tat`, `${k}:hold`, (rule?.intervalMs ?? 0).toFixed(3), rule?.burst ?? 1, mode).then(Number);
  }

  async readyAt(key: string, rule?: PaceRule): Promise<number> {
    const wait = await this.ask(key, rule, 'peek');
    return wait > 0 ? this.o.clock.now() + wait : 0;
  }

  take(key: string, rule: PaceRule): Promise<number> {
    return this.ask(key, rule, 'take');
  }

  reserve(key: string, rule: PaceRule): Promise<number> {
    return this.ask(key, rule, 'reserve');
  }

  async hold(key: string, until: number): Promise<void> {
    const ms = until - this.o.clock.now();
    if (ms > 0) await this.r.heraldPause(`${this.o.prefix}pace:${key}:hold`, Math.ceil(ms));
  }
}
