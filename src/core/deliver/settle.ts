// What one platform answer does to the outbox and the subscriptions: accepted → done;
// retry → attempt counted, channel waits; blocked → channel blocked; gone → channel forgotten.
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import type { Store } from '../../store/interfaces.js';
import type { MessageSender, SendResult } from '../../domain/types.js';
import { blockChannel, removeChannel } from './channel-state.js';
import type { KeyedSerial } from '../../domain/keyed-serial.js';
import type { Head } from './pick-head.js';
import { retryDelayMs, type BackoffSettings } from './pacing.js';
import type { TurnResult } from './scheduler.js';

export interface SettleDeps {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  lock: KeyedSerial;
  backoff: BackoffSettings;
  now: () => number;
  setCount(key: string, n: number): void;
  clearChannel(key: string): Promise<void>;
}

const IDLE: TurnResult = { next: 'idle' };
const LAST_POST_WRITE_MS = 60_000;

/**
 * The head's stable send key: its outbox ids, which never change across retries or
 * restarts (ingest makes them from the subscription and the item). A digest's key names
 * every item it covers, so a digest that grew while it waited is a new post, not a
 * retry that Discord would answer with the shorter first one.
 */
export const sendKey = (head: { covers: readonly string[] }): string => head.covers.join(' ');

export async function safeSend(sender: MessageSender, head: Head): Promise<SendResult> {
  try {
    return await sender.send(head.sub, head.message, { key: sendKey(head) });
  } catch (err) {
    // A sender should classify its own errors; one that throws is treated as transient.
    return { ok: false, kind: 'retry', reason: (err as Error).message };
  }
}

/** `pending`: the channel's outbox size before this answer, the head's deliveries included. */
export async function settle(x: SettleDeps, key: string, head: Head, r: SendResult, pending: number): Promise<TurnResult> {
  const { store, logger, metrics } = x;
  const { delivery: d, sub, covers } = head;
  if (r.ok) {
    const now = x.now();
    metrics.delivered.inc({ platform: sub.platform });
    metrics.deliveryLatency.observe({ platform: sub.platform }, Math.max(0, now - d.seenAt) / 1000);
    // A digest takes all the items it lists out of the outbox at once.
    await store.outbox.remove(key, covers);
    const left = pending - covers.length;
    x.setCount(key, left);
    if (head.message.kind !== 'notice') await notePost(store, sub.id, now, left <= 0);
    return left > 0 ? { next: 'again' } : IDLE;
  }
  if (r.kind === 'retry') {
    const attempts = d.attempts + 1;
    const delay = retryDelayMs(r, attempts, x.backoff);
    logger.warn({ channel: key, delivery: d.id, attempts, delayMs: delay, reason: r.reason }, 'delivery will be retried');
    // One key rewritten in place (nothing if it was removed meanwhile).
    await x.lock.run(key, () => store.outbox.update(key, { ...d, attempts }));
    return { next: 'at', at: x.now() + delay };
  }
  if (r.kind === 'blocked') {
    await blockChannel(key, r.reason, x);
    return IDLE;
  }
  await removeChannel(key, r.reason, x);
  await x.clearChannel(key);
  return IDLE;
}

/**
 * lastPostAt is for people reading /feeds list, not for delivery. Writing it for every
 * message would double the store writes of a burst (each one a disk sync on SQLite), so
 * within a burst it is written at most once a minute, and always after the last message.
 */
async function notePost(store: Store, subId: string, at: number, lastOfBurst: boolean): Promise<void> {
  const sub = store.subscriptions.get(subId);
  if (!sub) return;
  if (lastOfBurst || sub.lastPostAt === undefined || at - sub.lastPostAt >= LAST_POST_WRITE_MS) {
    await store.subscriptions.update({ ...sub, lastPostAt: at });
  }
}
