// From a parsed feed to pending deliveries: identify/dedupe → filter → render → outbox.
import type { Store } from '../store/interfaces.js';
import { channelKey, type Delivery, type FeedRecord, type SubscriptionRecord } from '../domain/records.js';
import type { DeliveryQueue } from './deliver/queue.js';
import { applyFilter } from './filter/index.js';
import { newItems } from './identify/index.js';
import { inlineText, renderItem } from './render/index.js';
import { applyTemplate } from './render/template.js';
import type { FeedItem, ParsedFeed } from '../domain/types.js';

export interface IngestDeps {
  store: Store;
  queue: DeliveryQueue;
  maxItemsPerPoll: number;
  now: () => number;
}

export function deliveriesFor(
  sub: SubscriptionRecord,
  feed: FeedRecord,
  parsed: ParsedFeed,
  items: FeedItem[],
  deps: Pick<IngestDeps, 'maxItemsPerPoll' | 'now'>,
): Delivery[] {
  const seenAt = deps.now();
  const passing = items.filter((i) => applyFilter(i, sub.filter).pass);
  // Flood control: keep the newest N (items are oldest first), then say what was skipped.
  const skipped = Math.max(0, passing.length - deps.maxItemsPerPoll);
  const chosen = passing.slice(skipped);
  const info = { title: feed.title ?? parsed.title, url: feed.url, ...(parsed.iconUrl ? { iconUrl: parsed.iconUrl } : {}) };
  const out: Delivery[] = chosen.map((item) => {
    const model = renderItem(item, info, sub.style);
    if (sub.template) model.templateText = applyTemplate(sub.template, model);
    return { id: `${sub.id}:${item.id}`, subscriptionId: sub.id, feedId: feed.id, itemId: item.id, seenAt, attempts: 0, message: { kind: 'item', ...model } };
  });
  if (skipped > 0) {
    const where = parsed.link ?? feed.url;
    out.push({
      id: `${sub.id}:flood:${seenAt}`,
      subscriptionId: sub.id,
      feedId: feed.id,
      seenAt,
      attempts: 0,
      // The cleaned title (entities decoded, tags dropped), as the item posts show it.
      message: { kind: 'notice', text: `${skipped} more new item${skipped === 1 ? '' : 's'} from ${inlineText(info.title) || feed.url} skipped to avoid flooding this channel: ${where}` },
    });
  }
  return out;
}

/**
 * Records a successful fetch. The first successful poll of a feed only records what is
 * there; later polls queue new items for every subscription that is not paused, oldest
 * first. Blocked subscriptions get them too (issue 11): the queue keeps them until
 * `/feeds resume`, so nothing published meanwhile is lost; the kick below lets it drop
 * those older than DELIVERY_MAX_AGE, which bounds a long block's backlog.
 * The deliveries for all channels and the seen ids land in one atomic write (commitPoll),
 * and sending starts only after it: a crash keeps the whole poll or none of it, so no item
 * is posted twice or skipped, whichever process polls the feed next.
 */
export async function ingest(feed: FeedRecord, parsed: ParsedFeed, deps: IngestDeps): Promise<number> {
  const { store, queue } = deps;
  const currentIds = parsed.items.map((i) => i.id);
  if (!feed.initialized) {
    await store.seen.record(feed.id, [], currentIds);
    return 0;
  }
  const fresh = newItems(parsed.items, await store.seen.get(feed.id));
  if (!fresh.length) {
    // Writes only if the feed's listing changed order or content (the store compares).
    await store.seen.record(feed.id, [], currentIds);
    return 0;
  }
  const subs = store.subscriptions.listByFeed(feed.id).filter((s) => !s.paused);
  const batches: [string, Delivery[]][] = [];
  for (const sub of subs) {
    const ds = deliveriesFor(sub, feed, parsed, fresh, deps);
    if (ds.length) batches.push([channelKey(sub), ds]);
  }
  await store.commitPoll({ feedId: feed.id, deliveries: batches, newIds: fresh.map((i) => i.id), currentIds });
  // The queue counts a channel's backlog when its turn reads the outbox.
  for (const [key] of batches) queue.kick(key);
  return fresh.length;
}
