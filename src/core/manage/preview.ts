// /feeds preview, and the "what would this do" part of /feeds filter and /feeds template:
// fetch the feed now and judge its newest items against the subscription.
import type { FilterRule, SubscriptionRecord } from '../../domain/records.js';
import { applyFilter, type FilterVerdict } from '../filter/index.js';
import type { HeraldCore } from '../herald.js';
import { oldestFirst } from '../identify/index.js';
import { probeFeed, type ProbeResult } from '../probe.js';
import { renderItem } from '../render/index.js';
import type { CardStyle, FeedItem, RenderModel } from '../../domain/types.js';

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

/** The newest n items, newest first (feeds do not always list them in order). */
export function newestItems(items: FeedItem[], n = PREVIEW_ITEMS): FeedItem[] {
  return oldestFirst(items).slice(-n).reverse();
}

/** Fetches the subscription's feed now; a fetch problem becomes a UserError from probeFeed. */
export async function previewSubscription(
  herald: Pick<HeraldCore, 'store' | 'fetcher' | 'subscriptions'>,
  sub: SubscriptionRecord,
  rule: FilterRule | undefined = sub.filter,
): Promise<Preview> {
  // Each preview is a fetch someone in the channel asked for: it counts against the workspace's budget.
  await herald.subscriptions.limits.takeCheck(sub);
  const feed = herald.store.feeds.get(sub.feedId);
  const probe = await probeFeed(herald.fetcher, feed?.url ?? sub.feedUrl);
  const rows = newestItems(probe.parsed.items).map((item) => ({ item, verdict: applyFilter(item, rule) }));
  return { probe, feedTitle: feed?.title ?? probe.parsed.title, feedUrl: feed?.url ?? probe.url, rows };
}

/** The render model the poller would build for this item of this feed. */
export function sampleModel(preview: Preview, item: FeedItem, style?: CardStyle): RenderModel {
  const { iconUrl } = preview.probe.parsed;
  return renderItem(item, { title: preview.feedTitle, url: preview.feedUrl, ...(iconUrl ? { iconUrl } : {}) }, style);
}
