// The identify stage: a stable id per item, and the diff against what was seen.
import { createHash } from 'node:crypto';
import type { FeedItem } from '../../domain/types.js';

type Unidentified = Omit<FeedItem, 'id'> & { guid?: string | undefined };

/** guid, else link, else a hash of title + date + content: the order readers expect. */
export function itemId(item: Unidentified): string {
  const guid = item.guid?.trim();
  if (guid) return `g:${guid}`;
  if (item.link) return `l:${item.link}`;
  const h = createHash('sha256')
    .update(`${item.title}\u0000${item.date ?? ''}\u0000${item.contentHtml ?? item.summaryText ?? ''}`)
    .digest('hex')
    .slice(0, 24);
  return `h:${h}`;
}

/** Gives each item its id and drops later duplicates inside one document. */
export function assignIds(items: Unidentified[]): FeedItem[] {
  const seen = new Set<string>();
  const out: FeedItem[] = [];
  for (const raw of items) {
    const { guid: _guid, ...rest } = raw;
    const id = itemId(raw);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ ...rest, id });
  }
  return out;
}

/**
 * Oldest first: by date when both items have one, else by document order reversed
 * (feeds list newest first). Stable for equal dates.
 */
export function oldestFirst(items: FeedItem[]): FeedItem[] {
  return [...items].sort((a, b) => {
    if (a.date && b.date && a.date !== b.date) return a.date < b.date ? -1 : 1;
    return b.index - a.index;
  });
}

/** Items whose ids are not in `seen`, oldest first. */
export function newItems(items: FeedItem[], seen: Iterable<string>): FeedItem[] {
  const known = new Set(seen);
  return oldestFirst(items.filter((i) => !known.has(i.id)));
}
