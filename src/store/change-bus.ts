// Cache invalidation for a cluster (issue 14): several Herald processes share one Redis store
// and each caches the feeds and subscriptions in memory. After every write a process
// publishes `{collection, id}` on one pub/sub channel; the others re-read that one key and
// fix their indexes (the stores' changedElsewhere()). A process ignores its own messages.
// Pub/sub may drop a message while a subscriber reconnects, so the code paths where a stale
// cache could do harm read the store itself anyway: a poll re-reads its feed, forgetting an
// unread feed first scans the subscriptions, and the outbox re-reads a channel at each use.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ChangePublisher } from './cached-collection.js';

export interface ChangeMessage {
  from: string;
  collection: string;
  id: string;
}

export type ChangeListener = (collection: string, id: string) => Promise<void> | void;

export class ChangeBus implements ChangePublisher {
  readonly id = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private listener: ChangeListener | undefined;
  private closed = false;

  constructor(
    url: string,
    namespace: string,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.channel = `${namespace}:changes`;
    this.pub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.sub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    for (const c of [this.pub, this.sub]) c.on('error', (err: Error) => this.onError(err));
    this.sub.on('message', (_channel: string, text: string) => void this.deliver(text));
  }

  async connect(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    await this.sub.subscribe(this.channel);
  }

  /** Starts handing other processes' changes to `listener` (after the repositories loaded). */
  listen(listener: ChangeListener): void {
    this.listener = listener;
  }

  publish(collection: string, id: string): void {
    if (this.closed) return;
    const msg: ChangeMessage = { from: this.id, collection, id };
    this.pub.publish(this.channel, JSON.stringify(msg)).catch((err: Error) => this.onError(err));
  }

  private async deliver(text: string) {
    let msg: ChangeMessage;
    try {
      msg = JSON.parse(text) as ChangeMessage;
    } catch {
      return;
    }
    if (msg.from === this.id || typeof msg.id !== 'string' || typeof msg.collection !== 'string') return;
    try {
      await this.listener?.(msg.collection, msg.id);
    } catch (err) {
      this.onError(err as Error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}
