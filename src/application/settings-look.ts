// How a subscription's posts look: /feeds style, /feeds template, /feeds filter. Stored on
// the subscription and read by ingest when it renders the next new items (already queued
// posts keep the look they were given).
import type { Untrusted } from '../domain/reply-text.js';
import { UserError } from '../domain/errors.js';
import type { FilterRule, SubscriptionRecord } from '../domain/records.js';
import type { CardStyle, ChannelRef } from '../domain/types.js';
import { parseFilterInput } from '../core/filter/index.js';
import { checkTemplate } from '../core/manage/customize.js';
import { parseStyle } from '../core/manage/style.js';
import { applyTemplate } from '../core/render/template.js';
import type { AppDeps } from './deps.js';
import { describeRule } from './describe.js';
import { findSubscription, titleOf } from './find.js';
import { previewSubscription, sampleModel } from './preview.js';

type Deps = Pick<AppDeps, 'store' | 'fetcher' | 'subscriptions'>;

/** Replaces fields of the stored subscription (the newest copy, not the one resolved earlier). */
async function update(d: Pick<AppDeps, 'store'>, sub: SubscriptionRecord, change: (next: SubscriptionRecord) => void): Promise<SubscriptionRecord> {
  const next: SubscriptionRecord = { ...(d.store.subscriptions.get(sub.id) ?? sub) };
  change(next);
  await d.store.subscriptions.update(next);
  return next;
}

/** Stores the style; compact, the default, is stored as no field at all. */
export function storeStyle(d: Pick<AppDeps, 'store'>, sub: SubscriptionRecord, style: CardStyle): Promise<SubscriptionRecord> {
  return update(d, sub, (next) => {
    if (style === 'compact') delete next.style;
    else next.style = style;
  });
}

export async function setStyle(d: Deps, channel: ChannelRef, target: string, raw: string): Promise<{ subscription: SubscriptionRecord; style: CardStyle; hasTemplate: boolean }> {
  const sub = findSubscription(d, channel, target);
  const style = parseStyle(raw);
  await storeStyle(d, sub, style);
  return { subscription: sub, style, hasTemplate: !!sub.template };
}

export type TemplateSample = { kind: 'text'; text: string } | { kind: 'empty' } | { kind: 'error'; message: string };

/** `text` is the template, or `reset` for the default layout; a set template comes with a sample of the newest item. */
export async function setTemplate(d: Deps, channel: ChannelRef, target: string, text: string): Promise<{ subscription: SubscriptionRecord; sample?: TemplateSample }> {
  const sub = findSubscription(d, channel, target);
  if (text.trim().toLowerCase() === 'reset') {
    await update(d, sub, (next) => delete next.template);
    return { subscription: sub };
  }
  const template = checkTemplate(text);
  await update(d, sub, (next) => (next.template = template));
  try {
    const preview = await previewSubscription(d, sub);
    const newest = preview.rows[0]?.item;
    const sample: TemplateSample = newest ? { kind: 'text', text: applyTemplate(template, sampleModel(preview, newest, sub.style)).slice(0, 1500) } : { kind: 'empty' };
    return { subscription: sub, sample };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { subscription: sub, sample: { kind: 'error', message: err.message } };
  }
}

export interface FilterInput {
  include?: string;
  exclude?: string;
  field?: string;
  reset?: boolean;
}

export interface FilterResult {
  subscription: SubscriptionRecord;
  title: Untrusted;
  /** The rule now in force; undefined when removed (or when the terms were empty). */
  rule?: FilterRule;
  /** How the newest items fare under it, or why that could not be checked now. */
  check?: { passing: number; total: number } | { error: string };
}

export async function setFilter(d: Deps, channel: ChannelRef, target: string, input: FilterInput): Promise<FilterResult> {
  const sub = findSubscription(d, channel, target);
  if (!input.reset && input.include === undefined && input.exclude === undefined) {
    const now = sub.filter ? `Current filter: ${describeRule(sub.filter)}.` : 'This feed has no filter.';
    throw new UserError(`${now} Give include: and/or exclude: terms to set one, or reset:true to remove it.`);
  }
  // The whole rule is replaced: what the reply shows is exactly what applies.
  const parsed = input.reset ? undefined : parseFilterInput(input.include, input.exclude, input.field);
  const rule = parsed && (parsed.include.length || parsed.exclude.length) ? parsed : undefined;
  await update(d, sub, (next) => {
    if (rule) next.filter = rule;
    else delete next.filter;
  });
  const out: FilterResult = { subscription: sub, title: titleOf(d, sub), ...(rule ? { rule } : {}) };
  if (!rule) return out;
  try {
    const p = await previewSubscription(d, sub, rule);
    out.check = { passing: p.rows.filter((r) => r.verdict.pass).length, total: p.rows.length };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    out.check = { error: err.message };
  }
  return out;
}
