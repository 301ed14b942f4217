// Which subscriptions a verb acts on: one by short ID or feed URL, or `all` in the channel.
import { untrusted, type Untrusted } from '../domain/reply-text.js';
import { UserError } from '../domain/errors.js';
import type { SubscriptionRecord } from '../domain/records.js';
import type { ChannelRef } from '../domain/types.js';
import { normalizeFeedUrl } from '../core/probe.js';
import type { AppDeps } from './deps.js';

type Deps = Pick<AppDeps, 'store'>;

/** Finds a subscription of this channel by short id or feed URL (as typed, or as Slack links it). */
export function findSubscription(d: Deps, channel: ChannelRef, idOrUrl: string): SubscriptionRecord {
  const text = idOrUrl.trim().replace(/^<|>$/g, '').replace(/\|.*$/, '');
  const subs = d.store.subscriptions.listByChannel(channel);
  const byId = subs.find((s) => s.id === text.toLowerCase());
  if (byId) return byId;
  let url: string | undefined;
  try {
    url = normalizeFeedUrl(text);
  } catch {
    url = undefined;
  }
  const byUrl = url ? subs.find((s) => s.feedUrl === url || d.store.feeds.get(s.feedId)?.url === url) : undefined;
  if (byUrl) return byUrl;
  throw new UserError(`No subscription "${idOrUrl}" in this channel. Run /feeds list to see the IDs.`);
}

export function findTargets(d: Deps, channel: ChannelRef, target: string): SubscriptionRecord[] {
  const text = target.trim();
  if (text.toLowerCase() === 'all') {
    const subs = d.store.subscriptions.listByChannel(channel);
    if (!subs.length) throw new UserError('This channel has no subscriptions. Add one with /subscribe feed:<url>.');
    return subs;
  }
  if (!text) throw new UserError('Say which feed: its ID from /feeds list, its URL, or all.');
  return [findSubscription(d, channel, text)];
}

/** A title for replies: the feed's own title, else its URL; feed text, so marked untrusted. */
export function titleOf(d: Deps, sub: Pick<SubscriptionRecord, 'feedId' | 'feedUrl'>): Untrusted {
  return untrusted(d.store.feeds.get(sub.feedId)?.title ?? sub.feedUrl);
}
