// Finds the oldest delivery of a channel that can be sent now, dropping on the way the
// ones that must never be sent (each with a log line) and skipping, but keeping, those of
// blocked subscriptions until `/feeds resume`.
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/index.js';
import type { Delivery, SubscriptionRecord } from '../../store/records.js';

export interface PickDeps {
  store: Store;
  logger: Logger;
  maxAgeMs: number;
  now: () => number;
}

export interface Pick {
  head?: { delivery: Delivery; sub: SubscriptionRecord };
  /** Deliveries left in the outbox after the drops, the head included. */
  remaining: number;
}

export function dropReason(d: Delivery, sub: SubscriptionRecord | undefined, maxAgeMs: number, now: number): string | undefined {
  if (!sub) return 'subscription removed';
  // A paused subscription skips items; Herald's own notices still reach the channel.
  if (sub.paused && d.message.kind === 'item') return 'subscription paused';
  // Posting day-old news after an outage surprises more than it helps.
  if (now - d.seenAt > maxAgeMs) return 'older than DELIVERY_MAX_AGE';
  return undefined;
}

export async function pickHead(key: string, deps: PickDeps): Promise<Pick> {
  const { store, logger } = deps;
  const list = await store.outbox.list(key);
  const now = deps.now();
  const dropped: string[] = [];
  let head: Pick['head'];
  for (const d of list) {
    const sub = store.subscriptions.get(d.subscriptionId);
    const reason = dropReason(d, sub, deps.maxAgeMs, now);
    if (reason || !sub) {
      dropped.push(d.id);
      // Removed subscriptions are already logged where they were removed.
      if (sub) {
        const ageMin = Math.round((now - d.seenAt) / 60_000);
        logger.warn({ channel: key, delivery: d.id, subscription: sub.id, item: d.itemId, ageMinutes: ageMin, reason }, `delivery dropped: ${reason}`);
      }
      continue;
    }
    if (sub.state === 'blocked') continue;
    head = { delivery: d, sub };
    break;
  }
  if (dropped.length) await store.outbox.remove(key, dropped);
  return { remaining: list.length - dropped.length, ...(head ? { head } : {}) };
}
