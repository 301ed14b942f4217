// /subscribe, /unsubscribe and /feeds list. The attach itself (probe, tenant caps, one
// attach per feed, removal with the feed's last reader) is the core's SubscriptionService:
// those rules must hold for every caller, imports included.
import type { Untrusted } from '../domain/reply-text.js';
import type { FeedRecord, SubscriptionRecord } from '../domain/records.js';
import type { ChannelRef } from '../domain/types.js';
import type { SubscribeResult } from '../core/subscriptions.js';
import type { AppDeps } from './deps.js';
import { findSubscription, titleOf } from './find.js';

export interface SubscribeInput {
  channel: ChannelRef;
  url: string;
  userId: string;
  /** Post the newest n existing items now (0–10). */
  backfill?: number;
}

export interface Unsubscribed {
  subscription: SubscriptionRecord;
  /** Read after the removal: the feed's title while others still read it, else its URL. */
  title: Untrusted;
}

export interface ListRow {
  subscription: SubscriptionRecord;
  feed: FeedRecord | undefined;
}

export function subscribe(d: Pick<AppDeps, 'subscriptions'>, input: SubscribeInput): Promise<SubscribeResult> {
  return d.subscriptions.subscribe(input);
}

export async function unsubscribe(d: Pick<AppDeps, 'store' | 'subscriptions'>, channel: ChannelRef, target: string): Promise<Unsubscribed> {
  const subscription = findSubscription(d, channel, target);
  await d.subscriptions.remove(subscription.id);
  return { subscription, title: titleOf(d, subscription) };
}

export function listSubscriptions(d: Pick<AppDeps, 'store'>, channel: ChannelRef): ListRow[] {
  return d.store.subscriptions.listByChannel(channel).map((subscription) => ({ subscription, feed: d.store.feeds.get(subscription.feedId) }));
}
