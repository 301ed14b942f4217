// The deliver stage: a persistent outbox drained by one worker per channel.
// Per-channel workers keep order inside a channel; a shared semaphore bounds the
// sends in flight, so one slow channel never holds up the others.
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import type { Store } from '../../store/index.js';
import { channelKey, type Delivery, type SubscriptionRecord } from '../../store/records.js';
import type { ChannelRef, MessageSender, Platform, SendResult } from '../types.js';
import { Semaphore, sleep } from './semaphore.js';

export interface DeliveryQueueOptions {
  store: Store;
  senders: Map<Platform, MessageSender>;
  logger: Logger;
  metrics: Metrics;
  maxAgeMs: number;
  concurrency?: number;
  now?: () => number;
}

const MAX_RETRY_DELAY_MS = 5 * 60_000;

export class DeliveryQueue {
  private readonly workers = new Map<string, Promise<void>>();
  private readonly kicked = new Set<string>();
  private readonly stopController = new AbortController();
  private readonly limit: Semaphore;
  private readonly now: () => number;
  private depth = 0;

  constructor(private readonly o: DeliveryQueueOptions) {
    this.limit = new Semaphore(o.concurrency ?? 40);
    this.now = o.now ?? Date.now;
  }

  /** Persists deliveries for one channel. Call kick() once the caller's own state is saved. */
  async persist(channel: ChannelRef, deliveries: Delivery[]): Promise<void> {
    if (!deliveries.length) return;
    const key = channelKey(channel);
    const existing = new Set((await this.o.store.outbox.list(key)).map((d) => d.id));
    const fresh = deliveries.filter((d) => !existing.has(d.id));
    await this.o.store.outbox.append(key, fresh);
    this.setDepth(this.depth + fresh.length);
  }

  async enqueue(channel: ChannelRef, deliveries: Delivery[]): Promise<void> {
    await this.persist(channel, deliveries);
    this.kick(channelKey(channel));
  }

  /** Resumes every channel with pending deliveries (after a restart). */
  async resumeAll(): Promise<void> {
    let depth = 0;
    for (const key of await this.o.store.outbox.channels()) {
      depth += (await this.o.store.outbox.list(key)).length;
      this.kick(key);
    }
    this.setDepth(depth);
  }

  kick(key: string): void {
    if (this.stopController.signal.aborted) return;
    if (this.workers.has(key)) {
      this.kicked.add(key);
      return;
    }
    const run = this.drain(key)
      .catch((err) => this.o.logger.error({ err, channel: key }, 'delivery worker failed'))
      .finally(() => {
        this.workers.delete(key);
        if (this.kicked.delete(key)) this.kick(key);
      });
    this.workers.set(key, run);
  }

  get pending(): number {
    return this.depth;
  }

  /** Stops sending; what is not sent stays in the outbox for the next start. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopController.abort();
    await Promise.race([Promise.allSettled([...this.workers.values()]), sleep(timeoutMs)]);
  }

  /** Resolves when every outbox is empty (tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.workers.size) await Promise.allSettled([...this.workers.values()]);
  }

  private setDepth(n: number) {
    this.depth = Math.max(0, n);
    this.o.metrics.queueDepth.set(this.depth);
  }

  private async drain(key: string): Promise<void> {
    const { outbox, subscriptions } = this.o.store;
    const signal = this.stopController.signal;
    while (!signal.aborted) {
      const head = (await outbox.list(key))[0];
      if (!head) return;
      const sub = subscriptions.get(head.subscriptionId);
      const skip = this.reasonToDrop(head, sub);
      if (skip || !sub) {
        if (skip !== 'subscription removed') this.o.logger.info({ channel: key, delivery: head.id, reason: skip }, 'delivery dropped');
        await this.done(key, head);
        continue;
      }
      const sender = this.o.senders.get(sub.platform);
      if (!sender) return; // platform not configured in this run: keep the outbox for later
      const result = await this.limit.run(() => this.safeSend(sender, sub, head));
      if (signal.aborted && !result.ok) return;
      await this.handle(key, head, sub, result, signal);
    }
  }

  private reasonToDrop(d: Delivery, sub: SubscriptionRecord | undefined): string | undefined {
    if (!sub) return 'subscription removed';
    if (sub.state === 'blocked') return `subscription blocked (${sub.blockedReason ?? 'no access'})`;
    if (sub.paused && d.message.kind === 'item') return 'subscription paused';
    if (this.now() - d.seenAt > this.o.maxAgeMs) return 'older than DELIVERY_MAX_AGE';
    return undefined;
  }

  private async safeSend(sender: MessageSender, sub: SubscriptionRecord, d: Delivery): Promise<SendResult> {
    try {
      return await sender.send(sub, d.message);
    } catch (err) {
      return { ok: false, kind: 'retry', reason: (err as Error).message };
    }
  }

  private async handle(key: string, d: Delivery, sub: SubscriptionRecord, r: SendResult, signal: AbortSignal) {
    const { subscriptions, outbox } = this.o.store;
    if (r.ok) {
      const now = this.now();
      this.o.metrics.delivered.inc({ platform: sub.platform });
      this.o.metrics.deliveryLatency.observe({ platform: sub.platform }, (now - d.seenAt) / 1000);
      await this.done(key, d);
      const fresh = subscriptions.get(sub.id);
      if (fresh && d.message.kind === 'item') await subscriptions.update({ ...fresh, lastPostAt: now });
      return;
    }
    if (r.kind === 'retry') {
      const attempts = d.attempts + 1;
      const delay = r.retryAfterMs ?? Math.min(1000 * 2 ** Math.min(attempts, 16), MAX_RETRY_DELAY_MS);
      this.o.logger.warn({ channel: key, attempts, delayMs: delay, reason: r.reason }, 'delivery will be retried');
      const list = await outbox.list(key);
      await outbox.replace(key, list.map((x) => (x.id === d.id ? { ...x, attempts } : x)));
      await sleep(delay, signal);
      return;
    }
    // blocked / gone concern the whole channel, not one subscription
    const affected = subscriptions.list().filter((s) => channelKey(s) === key);
    this.o.logger.warn({ channel: key, state: r.kind, reason: r.reason, subscriptions: affected.map((s) => s.id) }, 'channel state changed by platform error');
    this.o.metrics.subscriptionState.inc({ platform: sub.platform, state: r.kind }, affected.length);
    for (const s of affected) {
      if (r.kind === 'gone') await subscriptions.remove(s.id);
      else await subscriptions.update({ ...s, state: 'blocked', blockedReason: r.reason });
    }
    const dropped = (await outbox.list(key)).length;
    await outbox.clear(key);
    this.setDepth(this.depth - dropped);
  }

  private async done(key: string, d: Delivery) {
    await this.o.store.outbox.remove(key, [d.id]);
    this.setDepth(this.depth - 1);
  }
}
