// /feeds style: how a subscription's posts look. Stored on the subscription, read by ingest
// when it renders the next new items (already queued posts keep the look they were given).
import type { SubscriptionRecord } from '../../domain/records.js';
import { UserError } from '../../domain/errors.js';
import type { HeraldCore } from '../herald.js';
import { CARD_STYLES, type CardStyle } from '../../domain/types.js';

export const STYLE_HELP: Record<CardStyle, string> = {
  compact: 'a card with the title, a short excerpt, one image, the feed, author, time and up to 3 categories',
  full: 'the whole text of each item, up to the platform’s limits',
  link: 'just the title and the link, with the platform’s own preview',
};

export function parseStyle(raw: string): CardStyle {
  const want = raw.trim().toLowerCase();
  const hit = CARD_STYLES.find((s) => s === want);
  if (!hit) throw new UserError(`“${raw.slice(0, 40)}” is not a style. Use one of: ${CARD_STYLES.join(', ')}.`);
  return hit;
}

/** The subscription's style, compact when never set. */
export const styleOf = (sub: Pick<SubscriptionRecord, 'style'>): CardStyle => sub.style ?? 'compact';

/** Stores the style; compact, the default, is stored as no field at all. */
export async function setStyle(herald: Pick<HeraldCore, 'store'>, sub: SubscriptionRecord, style: CardStyle): Promise<SubscriptionRecord> {
  const next: SubscriptionRecord = { ...(herald.store.subscriptions.get(sub.id) ?? sub) };
  if (style === 'compact') delete next.style;
  else next.style = style;
  await herald.store.subscriptions.update(next);
  return next;
}
