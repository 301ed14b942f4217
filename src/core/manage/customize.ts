// Per-subscription filter and template: validated here, applied by ingest on the next poll.
import type { FilterRule, SubscriptionRecord } from '../../domain/records.js';
import { UserError } from '../../domain/errors.js';
import type { HeraldCore } from '../herald.js';
import { PLACEHOLDERS, validateTemplate } from '../render/template.js';

export async function setFilter(herald: Pick<HeraldCore, 'store'>, sub: SubscriptionRecord, rule: FilterRule | undefined): Promise<SubscriptionRecord> {
  const next: SubscriptionRecord = { ...(herald.store.subscriptions.get(sub.id) ?? sub) };
  if (rule) next.filter = rule;
  else delete next.filter;
  await herald.store.subscriptions.update(next);
  return next;
}

export function placeholderList(): string {
  return PLACEHOLDERS.map((p) => `{${p}}`).join(' ');
}

/** The render stage's rules (length, known placeholders), plus the reset hint only commands know. */
export function checkTemplate(text: string): string {
  if (!text.trim()) throw new UserError(`The template is empty. Use placeholders such as {title} {link}, or text:reset for the default layout. Valid: ${placeholderList()}`);
  return validateTemplate(text);
}

/** Sets (or with undefined, removes) the template; the text must have passed checkTemplate. */
export async function setTemplate(herald: Pick<HeraldCore, 'store'>, sub: SubscriptionRecord, template: string | undefined): Promise<SubscriptionRecord> {
  const next: SubscriptionRecord = { ...(herald.store.subscriptions.get(sub.id) ?? sub) };
  if (template) next.template = template;
  else delete next.template;
  await herald.store.subscriptions.update(next);
  return next;
}
