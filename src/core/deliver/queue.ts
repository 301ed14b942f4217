// The deliver stage: a persistent outbox per channel, drained in turns by a bounded
// scheduler. A delivery leaves the outbox only once the platform accepted it (or it was
// dropped for a logged reason), so a crash repeats at most the one message per channel
// that was in flight, and loses none.
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import type { Store } from '../../store/interfaces.js';
import { channelKey, type Delivery } from '../../domain/records.js';
import type { ChannelRef, MessageSender, Platform } from '../../domain/types.js';
import { KeyedSerial } from '../../domain/keyed-serial.js';
import { DEFAULT_BACKOFF, type BackoffSettings } from './pacing.js';
import type { GroupLimits, TurnResult } from './scheduler.js';
import type { Dispatcher, DispatchWork } from '../runtime/ports.js';
import { localDispatcher } from '../runtime/local-dispatcher.js';
import { pickHead } from './pick-head.js';
import { safeSend, settle, type SettleDeps } from './settle.js';

export interface DeliveryQueueOptions {
  store: Store;
  senders: Map<Platform, MessageSender>;
  logger: Logger;
  metrics: Metrics;
  maxAgeMs: number;
  /** Channels sending at once, per platform (see DEFAULT_CONCURRENCY). */
  concurrency?: Partial<Record<Platform, number>>;
  /** Sends started per second, per platform (see DEFAULT_RATES). */
  rates?: Partial<Record<Platform, number>>;
  backoff?: Partial<BackoffSettings>;
  now?: () => number;
  /** The runtime's dispatcher (in-process scheduler, or the cluster's drain jobs); in-process when absent. */
  dispatch?: (work: DispatchWork) => Dispatcher;
}

/**
 * Sends in flight per platform. 40 bounds what discord.js (or bolt's WebClient) holds in
 * its queues, however many channels have a backlog; the request rate itself is set by
 * DEFAULT_RATES, and per-channel limits by the senders' readyAt(), which park a waiting
 * channel on a timer so it does not occupy one of these slots.
 */
export const DEFAULT_CONCURRENCY: Partial<Record<Platform, number>> = { discord: 40, slack: 40 };
/** A platform with no entry above (the list of platforms is the registry's, not the core's). */
const OTHER_CONCURRENCY = 40;

/**
 * Sends started per second, per platform, counted per turn. Empty: Discord's 45/s per bot
 * counts requests, and a turn may make more than one (a channel lookup, a follow-up), so
 * the Discord sender applies it to each request it makes (platforms/discord/bot-rate.ts)
 * and parks a channel through readyAt() while it is spent. Kept for a platform whose
 * rate is one request per message.
 */
export const DEFAULT_RATES: Partial<Record<Platform, number>> = {};

const IDLE: TurnResult = { next: 'idle' };

export class DeliveryQueue {
  private readonly dispatcher: Dispatcher;
  private readonly lock = new KeyedSerial();
  /** Pending deliveries per channel, refreshed whenever a channel's outbox is read. */
  private readonly counts = new Map<string, number>();
  private readonly now: () => number;
  private readonly settleDeps: SettleDeps;
  private stopping = false;

  constructor(private readonly o: DeliveryQueueOptions) {
    this.now = o.now ?? Date.now;
    const backoff: BackoffSettings = { ...DEFAULT_BACKOFF, ...o.backoff };
    this.settleDeps = {
      ...o,
      lock: this.lock,
      backoff,
      now: this.now,
      setCount: (key, n) => this.setCount(key, n),
      clearChannel: (key) => this.clearChannel(key),
    };
    const sizes = { ...DEFAULT_CONCURRENCY, ...o.concurrency };
    const rates = { ...DEFAULT_RATES, ...o.rates };
    const work: DispatchWork = {
      groupOf: (key): GroupLimits => {
        const platform = key.slice(0, key.indexOf(':')) as Platform;
        const perSecond = rates[platform];
        return { name: platform, size: sizes[platform] ?? OTHER_CONCURRENCY, ...(perSecond ? { perSecond } : {}) };
      },
      turn: (key) => this.turn(key),
      onError: (key, err) => o.logger.error({ err, channel: key }, 'delivery turn failed; retrying the channel shortly'),
    };
    this.dispatcher = (o.dispatch ?? ((w) => localDispatcher(w, { now: this.now })))(work);
  }

  /** Persists deliveries for one channel (idempotent by id). Call kick() once the caller's own state is saved. */
  async persist(channel: ChannelRef, deliveries: Delivery[]): Promise<void> {
    if (!deliveries.length) return;
    const key = channelKey(channel);
    await this.lock.run(key, async () => {
      const existing = await this.o.store.outbox.list(key);
      const ids = new Set(existing.map((d) => d.id));
      const fresh = deliveries.filter((d) => !ids.has(d.id));
      if (fresh.length) await this.o.store.outbox.append(key, fresh);
      this.setCount(key, existing.length + fresh.length);
    });
  }

  async enqueue(channel: ChannelRef, deliveries: Delivery[]): Promise<void> {
    await this.persist(channel, deliveries);
    this.kick(channelKey(channel));
  }

  /** Resumes every channel with pending deliveries (after a restart), each oldest first. */
  async resumeAll(): Promise<void> {
    for (const key of await this.o.store.outbox.channels()) {
      this.setCount(key, (await this.o.store.outbox.list(key)).length);
      this.kick(key);
    }
  }

  /** There may be new work for this channel (new deliveries, a subscription resumed). */
  kick(key: string): void {
    if (!this.stopping) this.dispatcher.kick(key);
  }

  /** Forgets a channel's pending deliveries (channel deleted, bot removed from the server). */
  async clearChannel(key: string): Promise<void> {
    await this.lock.run(key, () => this.o.store.outbox.clear(key));
    this.setCount(key, 0);
  }

  get pending(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** Stops sending; what is not sent stays in the outbox for the next start. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopping = true;
    await this.dispatcher.stop(timeoutMs);
  }

  /** Resolves when no channel has work it can do now or later (tests, benchmarks). */
  idle(): Promise<void> {
    return this.dispatcher.idle();
  }

  private setCount(key: string, n: number) {
    if (n > 0) this.counts.set(key, n);
    else this.counts.delete(key);
    this.o.metrics.queueDepth.set(this.pending);
  }

  /** Starts the dispatcher (the cluster's drain worker; nothing for the in-process one). */
  start(): Promise<void> {
    return this.dispatcher.start();
  }

  /** One message for one channel: pick the oldest sendable delivery, send it, act on the answer. */
  private async turn(key: string): Promise<TurnResult> {
    if (this.stopping) return IDLE;
    const { store, logger } = this.o;
    const pick = await pickHead(key, { store, logger, maxAgeMs: this.o.maxAgeMs, now: this.now });
    this.setCount(key, pick.remaining);
    // Nothing to send now; a digest waiting for its period wakes the channel when it ends.
    if (!pick.head) return pick.wakeAt !== undefined ? { next: 'at', at: pick.wakeAt } : IDLE;
    const { sub } = pick.head;
    const sender = this.o.senders.get(sub.platform);
    if (!sender) return IDLE; // platform not configured in this run: keep the outbox for later
    const readyAt = await sender.readyAt(sub);
    if (readyAt > this.now()) return { next: 'at', at: readyAt };
    const result = await safeSend(sender, pick.head);
    const next = await settle(this.settleDeps, key, pick.head, result, pick.remaining);
    if (next.next !== 'again') return next;
    // Known to be paced: wait on a timer now rather than read the outbox for nothing.
    const after = await sender.readyAt(sub);
    return after > this.now() ? { next: 'at', at: after } : next;
  }
}
