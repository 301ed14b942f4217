// Finds the oldest delivery of a channel that can be sent now, dropping on the way the
// ones that must never be sent (each with a log line) and skipping, but keeping, those of
// blocked subscriptions until `/feeds resume`. Items of a digest subscription wait until
// their period ends, then go out together as one message.
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/interfaces.js';
import type { Delivery, SubscriptionRecord } from '../../domain/records.js';
import type { SendableMessage } from '../../domain/types.js';
import { buildDigest, digestDueAt } from './digest.js';

export interface PickDeps {
  store: Store;
  logger: Logger;
  maxAgeMs: number;
  now: () => number;
}

export interface Head {
  /** The delivery whose attempts count; for a digest, its oldest item. */
  delivery: Delivery;
  sub: SubscriptionRecord;
  /** What to send: the delivery's own message, or a digest of several. */
  message: SendableMessage;
  /** Ids that leave the outbox once the message is accepted. */
  covers: string[];
}

export interface Pick {
  head?: Head;
  /** Deliveries left in the outbox after the drops, the head included. */
  remaining: number;
  /** When the next waiting digest item falls due, if there is one and nothing to send now. */
  wakeAt?: number;
}

/** `dueAt`: for a digest item, when its period ends (its age counts from then). */
export function dropReason(d: Delivery, sub: SubscriptionRecord | undefined, maxAgeMs: number, now: number, dueAt?: number): string | undefined {
  if (!sub) return 'subscription removed';
  // A paused subscription skips items; Herald's own notices still reach the channel.
  if (sub.paused && d.message.kind === 'item') return 'subscription paused';
  // Posting day-old news after an outage surprises more than it helps.
  if (now - Math.max(d.seenAt, Math.min(dueAt ?? d.seenAt, now)) > maxAgeMs) return 'older than DELIVERY_MAX_AGE';
  return undefined;
}

function dueAtOf(d: Delivery, sub: SubscriptionRecord | undefined): number | undefined {
  const digest = sub?.delivery?.digest;
  return digest && d.message.kind === 'item' ? digestDueAt(digest, d.seenAt) : undefined;
}

export async function pickHead(key: string, deps: PickDeps): Promise<Pick> {
  const { store, logger } = deps;
  const list = await store.outbox.list(key);
  const now = deps.now();
  const dropped = new Set<string>();
  let head: Head | undefined;
  let wakeAt: number | undefined;
  for (const d of list) {
    const sub = store.subscriptions.get(d.subscriptionId);
    const due = dueAtOf(d, sub);
    const reason = dropReason(d, sub, deps.maxAgeMs, now, due);
    if (reason || !sub) {
      dropped.add(d.id);
      // Removed subscriptions are already logged where they were removed.
      if (sub) {
        const ageMin = Math.round((now - d.seenAt) / 60_000);
        logger.warn({ channel: key, delivery: d.id, subscription: sub.id, item: d.itemId, ageMinutes: ageMin, reason }, `delivery dropped: ${reason}`);
      }
      continue;
    }
    if (head || sub.state === 'blocked') continue;
    if (due === undefined) {
      head = { delivery: d, sub, message: d.message, covers: [d.id] };
      continue;
    }
    if (due > now) {
      wakeAt = Math.min(wakeAt ?? due, due);
      continue;
    }
    // Every due item of this subscription, in outbox order; later ones are checked as the loop goes on.
    const batch = list.filter((e) => e.subscriptionId === sub.id && e.message.kind === 'item' && (dueAtOf(e, sub) ?? 0) <= now && !dropReason(e, sub, deps.maxAgeMs, now, dueAtOf(e, sub)));
    const message = buildDigest(batch);
    if (message) head = { delivery: d, sub, message, covers: batch.map((e) => e.id) };
  }
  if (dropped.size) await store.outbox.remove(key, [...dropped]);
  return { remaining: list.length - dropped.size, ...(head ? { head } : {}), ...(!head && wakeAt !== undefined ? { wakeAt } : {}) };
}
