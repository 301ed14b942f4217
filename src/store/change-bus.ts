// Cache invalidation for a cluster (issue 14): several Herald processes share one Redis store
// and each caches the feeds and subscriptions in memory. After every write a process
// publishes `{collection, id}` on one pub/sub channel; the others re-read that one key and
// fix their indexes (the stores' changedElsewhere()). A process ignores its own messages.
//
// Pub/sub is fire-and-forget: what is published while a subscriber reconnects (or while a
// publish fails) never arrives, and nothing tells the subscriber. So after every
// re-subscription, and every few minutes anyway, each tracked collection is compared with the
// store (resync()) and every id that differs is handed to the listener as if its message had
// come: the one refresh path keeps the indexes right and lets racing local writes win.
// Until then, the code paths where a stale cache could do harm read the store itself: a poll
// re-reads its feed, forgetting an unread feed first scans the subscriptions, and the outbox
// re-reads a channel at each use.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ChangePublisher } from './cached-collection.js';

export interface ChangeMessage {
  from: string;
  collection: string;
  id: string;
}

export type ChangeListener = (collection: string, id: string) => Promise<void> | void;

export interface ChangeBusOptions {
  /** How often every tracked collection is compared with the store, in ms. */
  resyncEveryMs?: number;
}

/** Bounds how long a lost message can leave a cache wrong; a scan of every feed and subscription. */
export const RESYNC_EVERY_MS = 5 * 60_000;
/** Messages kept while the repositories load (before listen()); beyond it, a resync replaces them. */
const EARLY_LIMIT = 10_000;

export class ChangeBus implements ChangePublisher {
  readonly id = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private listener: ChangeListener | undefined;
  /** Messages that arrived before listen(): dropping them would leave a cache stale. */
  private early: string[] | undefined = [];
  private earlyOverflow = false;
  private readonly tracked = new Map<string, () => Promise<string[]>>();
  private subscribed = false;
  private resyncing: Promise<void> | undefined;
  private resyncAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    url: string,
    namespace: string,
    private readonly onError: (err: Error) => void = () => undefined,
    private readonly opts: ChangeBusOptions = {},
  ) {
    this.channel = `${namespace}:changes`;
    this.pub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    // Named, so an operator (and a test) can tell this connection apart in CLIENT LIST.
    this.sub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectionName: `${namespace}-changes-${this.id}` });
    for (const c of [this.pub, this.sub]) c.on('error', (err: Error) => this.onError(err));
    this.sub.on('message', (_channel: string, text: string) => this.received(text));
    // 'ready' follows every reconnect (ioredis re-subscribes itself just before it).
    this.sub.on('ready', () => {
      if (this.subscribed && !this.closed) void this.resubscribed();
    });
  }

  async connect(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    await this.sub.subscribe(this.channel);
    this.subscribed = true;
    this.timer = setInterval(() => void this.resync(), this.opts.resyncEveryMs ?? RESYNC_EVERY_MS);
    this.timer.unref();
  }

  /** Starts handing other processes' changes to `listener` (after the repositories loaded). */
  listen(listener: ChangeListener): void {
    this.listener = listener;
    const early = this.early ?? [];
    this.early = undefined;
    for (const text of early) void this.deliver(text);
    if (this.earlyOverflow) void this.resync();
  }

  /** A collection resync() compares: `differences` lists the ids whose stored value differs. */
  track(collection: string, differences: () => Promise<string[]>): void {
    this.tracked.set(collection, differences);
  }

  publish(collection: string, id: string): void {
    if (this.closed) return;
    const msg: ChangeMessage = { from: this.id, collection, id };
    this.pub.publish(this.channel, JSON.stringify(msg)).catch((err: Error) => this.onError(err));
  }

  /**
   * Compares every tracked collection with the store and applies what differs through the
   * listener. One at a time; asked for during one, it runs once more afterwards (the running
   * scan may have passed a key before the change that prompted the request).
   */
  resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    const run = (async () => {
      do {
        this.resyncAgain = false;
        await this.resyncOnce();
      } while (this.resyncAgain && !this.closed);
    })();
    this.resyncing = run.finally(() => (this.resyncing = undefined));
    return this.resyncing;
  }

  private async resyncOnce() {
    const listener = this.listener;
    if (!listener) return; // still loading: the load itself reads the store
    for (const [collection, differences] of this.tracked) {
      if (this.closed) return;
      let ids: string[];
      try {
        ids = await differences();
      } catch (err) {
        if (!this.closed) this.onError(err as Error); // Redis away: the next resync tries again
        continue;
      }
      for (const id of ids) {
        if (this.closed) return;
        try {
          await listener(collection, id);
        } catch (err) {
          if (!this.closed) this.onError(err as Error);
        }
      }
    }
  }

  /** Confirms the subscription (ioredis's own re-subscribe has no promise), then catches up. */
  private async resubscribed() {
    try {
      await this.sub.subscribe(this.channel);
    } catch (err) {
      if (!this.closed) this.onError(err as Error);
      return; // the next 'ready' tries again
    }
    await this.resync();
  }

  private received(text: string) {
    if (!this.early) return void this.deliver(text);
    if (this.early.length < EARLY_LIMIT) this.early.push(text);
    else this.earlyOverflow = true;
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
    clearInterval(this.timer);
    this.sub.disconnect();
    // A resync under way stops at its next step; the store's connection closes after this.
    await this.resyncing;
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}
