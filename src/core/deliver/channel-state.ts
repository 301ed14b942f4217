// Platform verdicts about a whole channel: "you may not post here" (blocked) and
// "this channel is gone". Each subscription that changes state is logged and counted.
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import type { Store } from '../../store/interfaces.js';
import { channelKey, type SubscriptionRecord } from '../../domain/records.js';

export interface ChannelStateDeps {
  store: Store;
  logger: Logger;
  metrics: Metrics;
}

function inChannel(store: Store, key: string): SubscriptionRecord[] {
  return store.subscriptions.list().filter((s) => channelKey(s) === key);
}

/**
 * Permissions are per channel, so every subscription there is blocked, not only the one
 * whose message failed. Pending deliveries stay in the outbox: `/feeds resume` sets the
 * subscriptions active again and they go out then (unless DELIVERY_MAX_AGE passed).
 */
export async function blockChannel(key: string, reason: string, d: ChannelStateDeps): Promise<SubscriptionRecord[]> {
  const changed: SubscriptionRecord[] = [];
  for (const s of inChannel(d.store, key)) {
    if (s.state === 'blocked') continue;
    const next: SubscriptionRecord = { ...s, state: 'blocked', blockedReason: reason };
    await d.store.subscriptions.update(next);
    d.logger.warn({ subscription: s.id, channel: key, feed: s.feedUrl, from: s.state, to: 'blocked', reason }, `subscription ${s.id} blocked: ${reason}; run /feeds resume once Herald may post again`);
    d.metrics.subscriptionState.inc({ platform: s.platform, state: 'blocked' });
    changed.push(next);
  }
  return changed;
}

/** The channel no longer exists: its subscriptions are forgotten (the caller clears the outbox). */
export async function removeChannel(key: string, reason: string, d: ChannelStateDeps): Promise<SubscriptionRecord[]> {
  const removed = inChannel(d.store, key);
  for (const s of removed) {
    await d.store.subscriptions.remove(s.id);
    d.logger.warn({ subscription: s.id, channel: key, feed: s.feedUrl, from: s.state, to: 'removed', reason }, `subscription ${s.id} removed: ${reason}`);
    d.metrics.subscriptionState.inc({ platform: s.platform, state: 'gone' });
  }
  return removed;
}
