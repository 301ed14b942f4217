// Words for replies about settings, shared by the commands and the use cases: the commands'
// one door to the core's vocabulary (they import nothing from src/core themselves).
import type { FilterRule } from '../domain/records.js';

export { FILTER_FIELDS } from '../core/filter/index.js';
export { describeDelivery, describeDigest } from '../core/manage/delivery.js';
export { placeholderList } from '../core/manage/customize.js';
export { formatDuration } from '../core/manage/format-duration.js';
export { STYLE_HELP, styleOf } from '../core/manage/style.js';
export { IMPORT_MAX_FEEDS } from './import-opml.js';

export function describeRule(rule: FilterRule): string {
  const parts: string[] = [];
  if (rule.include.length) parts.push(`include ${rule.include.join(', ')}`);
  if (rule.exclude.length) parts.push(`exclude ${rule.exclude.join(', ')}`);
  parts.push(`looking at ${rule.field === 'any' ? 'any field' : rule.field}`);
  return parts.join(' · ');
}
