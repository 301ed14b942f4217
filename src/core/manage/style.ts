// Card styles: the names people type, what each means, and the default.
import type { SubscriptionRecord } from '../../domain/records.js';
import { UserError } from '../../domain/errors.js';
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
