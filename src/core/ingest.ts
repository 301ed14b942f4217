// From a parsed feed to pending deliveries: identify/dedupe → filter → render → outbox.
import type { Store } from '../store/index.js';
import type { Delivery, FeedRecord, SubscriptionRecord } from '../store/records.js';
import type { DeliveryQueue } from './deliver/queue.js';
import { applyFilter } from './filter/index.js';
import { newItems } from './identify/index.js';
import { inlineText, renderItem } from './render/index.js';
import { applyTemplate } from './render/template.js';
import type { FeedItem, ParsedFeed } from './types.js';

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
 * there; later polls queue new items for every active subscription, oldest first.
 * Outbox rows are persisted before the seen ids, and sending starts only after both,
 * so a crash can neither lose an item nor post it twice.
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
    await store.seen.record(feed.id, [], currentIds);
    return 0;
  }
  const subs = store.subscriptions.listByFeed(feed.id).filter((s) => !s.paused && s.state === 'active');
  const touched = [];
  for (const sub of subs) {
    const ds = deliveriesFor(sub, feed, parsed, fresh, deps);
    if (ds.length) {
      await queue.persist(sub, ds);
      touched.push(sub);
    }
  }
  await store.seen.record(feed.id, fresh.map((i) => i.id), currentIds);
  for (const sub of touched) queue.kick(`${sub.platform}:${sub.channelId}`);
  return fresh.length;
}
