// The filter stage: decides per subscription whether an item is posted, and why not.
// Reasons are written for people: /feeds preview shows them next to each item.
import type { FilterRule } from '../../domain/records.js';
import { htmlToText, plainText } from '../render/index.js';
import type { FeedItem } from '../../domain/types.js';
import { compileTerm, describeTerm, fold } from './terms.js';

export { parseFilterInput, splitTerms, FILTER_FIELDS } from './parse-input.js';
export { compileTerm, MAX_PATTERN_LENGTH } from './terms.js';

export type FilterVerdict = { pass: true } | { pass: false; reason: string };
type Field = Exclude<FilterRule['field'], 'any'>;

/** Text looked at per field; bounded so a huge item costs no more than a normal one. */
const MAX_FIELD_TEXT = 10_000;
const fieldCache = new WeakMap<FeedItem, Record<Field, { text: string; lowered: string }>>();

function fields(item: FeedItem): Record<Field, { text: string; lowered: string }> {
  let cached = fieldCache.get(item);
  if (!cached) {
    const body = item.contentHtml ? htmlToText(item.contentHtml) : '';
    const summary = item.summaryText && !body.includes(item.summaryText.trim()) ? `${body}\n${item.summaryText}` : body;
    const raw: Record<Field, string> = {
      title: plainText(item.title),
      summary,
      author: plainText(item.author),
      categories: item.categories.map((c) => plainText(c)).join('\n'),
    };
    const entry = (s: string) => ({ text: s.slice(0, MAX_FIELD_TEXT), lowered: fold(s.slice(0, MAX_FIELD_TEXT)) });
    cached = { title: entry(raw.title), summary: entry(raw.summary), author: entry(raw.author), categories: entry(raw.categories) };
    fieldCache.set(item, cached);
  }
  return cached;
}

/** The first field (of those the rule looks at) where `term` matches; undefined if none. */
function matchField(item: FeedItem, field: FilterRule['field'], term: string): Field | undefined {
  let match: ReturnType<typeof compileTerm>;
  try {
    match = compileTerm(term);
  } catch {
    return undefined; // a stored term that no longer compiles matches nothing rather than failing the poll
  }
  const f = fields(item);
  const order: Field[] = field === 'any' ? ['title', 'summary', 'author', 'categories'] : [field];
  return order.find((k) => match(f[k].text, f[k].lowered));
}

export function applyFilter(item: FeedItem, rule: FilterRule | undefined): FilterVerdict {
  if (!rule) return { pass: true };
  for (const term of rule.exclude) {
    const where = matchField(item, rule.field, term);
    if (where) return { pass: false, reason: `excluded by ${describeTerm(term)} in ${where}` };
  }
  if (rule.include.length && !rule.include.some((term) => matchField(item, rule.field, term))) {
    const scope = rule.field === 'any' ? 'any field' : rule.field;
    return { pass: false, reason: `no include term (${rule.include.map(describeTerm).join(', ')}) found in ${scope}` };
  }
  return { pass: true };
}
