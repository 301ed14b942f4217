// Which subscriptions a management verb acts on: one by ID/URL, or `all` in the channel.
import { untrusted, type Untrusted } from '../reply-text.js';
import type { SubscriptionRecord } from '../../domain/records.js';
import type { HeraldCore } from '../herald.js';
import { UserError } from '../../domain/errors.js';
import type { ChannelRef } from '../../domain/types.js';

/** The parts of the core the management use cases need; tests can pass a smaller object. */
export type ManageDeps = Pick<HeraldCore, 'store' | 'queue' | 'subscriptions' | 'scheduler' | 'clock' | 'fetcher'>;

export function resolveTargets(herald: ManageDeps, channel: ChannelRef, target: string): SubscriptionRecord[] {
  const text = target.trim();
  if (text.toLowerCase() === 'all') {
    const subs = herald.store.subscriptions.listByChannel(channel);
    if (!subs.length) throw new UserError('This channel has no subscriptions. Add one with /subscribe feed:<url>.');
    return subs;
  }
  if (!text) throw new UserError('Say which feed: its ID from /feeds list, its URL, or all.');
  return [herald.subscriptions.resolve(channel, text)];
}

/** A title for replies: the feed's own title, else its URL; feed text, so marked untrusted. */
export function titleOf(herald: Pick<HeraldCore, 'store'>, sub: Pick<SubscriptionRecord, 'feedId' | 'feedUrl'>): Untrusted {
  return untrusted(herald.store.feeds.get(sub.feedId)?.title ?? sub.feedUrl);
}
