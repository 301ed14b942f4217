// /feeds preview, and the "what would this do" part of /feeds filter and /feeds template:
// fetch the feed now and judge its newest items against the subscription. `herald preview`
// (the CLI) shares newestItems and the probe, without a store or a channel.
import type { FeedRecord, FilterRule, SubscriptionRecord } from '../domain/records.js';
import type { CardStyle, ChannelRef, FeedItem, RenderModel } from '../domain/types.js';
import { applyFilter, type FilterVerdict } from '../core/filter/index.js';
import { oldestFirst } from '../core/identify/index.js';
import { probeFeed, type ProbeResult } from '../core/probe.js';
import { renderItem } from '../core/render/index.js';
import type { Fetcher } from '../core/fetch/index.js';
import type { AppDeps } from './deps.js';
import { findSubscription } from './find.js';

export const PREVIEW_ITEMS = 10;

export interface PreviewRow {
  item: FeedItem;
  verdict: FilterVerdict;
}

export interface Preview {
  probe: ProbeResult;
  feedTitle: string;
  /** The stored feed URL, as the poller renders it (the probe may have followed a redirect). */
  feedUrl: string;
  /** Newest first. */
  rows: PreviewRow[];
}

export interface ChannelPreview extends Preview {
  subscription: SubscriptionRecord;
  /** The stored feed, for its state (failing, stopped). */
  feed: FeedRecord | undefined;
}

type Deps = Pick<AppDeps, 'store' | 'fetcher' | 'subscriptions'>;

/** The newest n items, newest first (feeds do not always list them in order). */
export function newestItems(items: FeedItem[], n = PREVIEW_ITEMS): FeedItem[] {
  return oldestFirst(items).slice(-n).reverse();
}

/** Fetches the subscription's feed now; a fetch problem becomes a UserError from probeFeed. */
export async function previewSubscription(d: Deps, sub: SubscriptionRecord, rule: FilterRule | undefined = sub.filter): Promise<Preview> {
  // Each preview is a fetch someone in the channel asked for: it counts against the workspace's budget.
  await d.subscriptions.limits.takeCheck(sub);
  const feed = d.store.feeds.get(sub.feedId);
  const probe = await probeFeed(d.fetcher, feed?.url ?? sub.feedUrl);
  const rows = newestItems(probe.parsed.items).map((item) => ({ item, verdict: applyFilter(item, rule) }));
  return { probe, feedTitle: feed?.title ?? probe.parsed.title, feedUrl: feed?.url ?? probe.url, rows };
}

/** /feeds preview: the subscription named in this channel, fetched now. */
export async function previewInChannel(d: Deps, channel: ChannelRef, target: string): Promise<ChannelPreview> {
  const subscription = findSubscription(d, channel, target);
  const preview = await previewSubscription(d, subscription);
  // Read after the fetch, as before: the state shown is the latest.
  return { ...preview, subscription, feed: d.store.feeds.get(subscription.feedId) };
}

/** `herald preview <url>`: any feed, no subscription, no budget (the operator's own terminal). */
export async function previewUrl(d: { fetcher: Fetcher }, url: string, n: number): Promise<{ probe: ProbeResult; items: FeedItem[] }> {
  const probe = await probeFeed(d.fetcher, url);
  return { probe, items: newestItems(probe.parsed.items, n) };
}

/** The render model the poller would build for this item of this feed. */
export function sampleModel(preview: Preview, item: FeedItem, style?: CardStyle): RenderModel {
  const { iconUrl } = preview.probe.parsed;
  return renderItem(item, { title: preview.feedTitle, url: preview.feedUrl, ...(iconUrl ? { iconUrl } : {}) }, style);
}
