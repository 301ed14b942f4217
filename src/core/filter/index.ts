// The filter stage: decides per subscription whether an item is posted, and why not.
import type { FilterRule } from '../../store/records.js';
import type { FeedItem } from '../types.js';

export type FilterVerdict = { pass: true } | { pass: false; reason: string };

function fieldText(item: FeedItem, field: FilterRule['field']): string {
  const parts: Record<Exclude<FilterRule['field'], 'any'>, string> = {
    title: item.title,
    summary: `${item.summaryText ?? ''} ${item.contentHtml ?? ''}`,
    author: item.author ?? '',
    categories: item.categories.join(' '),
  };
  return field === 'any' ? Object.values(parts).join('\n') : parts[field];
}

export function applyFilter(item: FeedItem, rule: FilterRule | undefined): FilterVerdict {
  if (!rule) return { pass: true };
  const text = fieldText(item, rule.field).toLowerCase();
  const hit = (words: string[]) => words.find((w) => text.includes(w.toLowerCase()));
  const excluded = hit(rule.exclude);
  if (excluded) return { pass: false, reason: `excluded by "${excluded}"` };
  if (rule.include.length && !hit(rule.include)) return { pass: false, reason: `no include word (${rule.include.join(', ')})` };
  return { pass: true };
}
