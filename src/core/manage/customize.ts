// Per-subscription filter and template: validated here, applied by ingest on the next poll.
import type { FilterRule, SubscriptionRecord } from '../../store/records.js';
import { UserError } from '../errors.js';
import type { HeraldCore } from '../herald.js';
import { PLACEHOLDERS, unknownPlaceholders } from '../render/template.js';

/** Long enough for any sensible layout, short enough to stay under Discord's 2000 characters once filled. */
export const MAX_TEMPLATE_LENGTH = 1000;

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

/** Throws a UserError naming the unknown placeholders and listing the valid ones. */
export function checkTemplate(text: string): string {
  const template = text.trim();
  if (!template) throw new UserError(`The template is empty. Use placeholders such as {title} {link}, or text:reset for the default layout. Valid: ${placeholderList()}`);
  if (template.length > MAX_TEMPLATE_LENGTH) throw new UserError(`The template is ${template.length} characters; keep it under ${MAX_TEMPLATE_LENGTH}.`);
  const unknown = unknownPlaceholders(template);
  if (unknown.length) throw new UserError(`Unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Valid placeholders: ${placeholderList()}`);
  return template;
}

/** Sets (or with undefined, removes) the template; the text must have passed checkTemplate. */
export async function setTemplate(herald: Pick<HeraldCore, 'store'>, sub: SubscriptionRecord, template: string | undefined): Promise<SubscriptionRecord> {
  const next: SubscriptionRecord = { ...(herald.store.subscriptions.get(sub.id) ?? sub) };
  if (template) next.template = template;
  else delete next.template;
  await herald.store.subscriptions.update(next);
  return next;
}
