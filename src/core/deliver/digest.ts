// Digests: a subscription's new items wait in the outbox (so they survive restarts like
// any delivery) until their period ends, then leave together as one message.
import type { Delivery } from '../../domain/records.js';
import type { DigestMessage, DigestSchedule } from '../../domain/types.js';

/** A chat message stays readable with this many lines; the rest are counted. */
export const DIGEST_MAX_LINES = 25;
/** Shortest period honoured (tests use seconds; people use hours). */
export const DIGEST_MIN_EVERY_MS = 10_000;

const DAY_MS = 86_400_000;

/** Parses "HH:MM" (UTC) into ms after midnight, or undefined. */
export function parseTimeOfDay(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return (h * 60 + min) * 60_000;
}

/** When the period that `seenAt` falls in ends: the first boundary after it. */
export function digestDueAt(s: DigestSchedule, seenAt: number): number {
  const every = Math.max(DIGEST_MIN_EVERY_MS, s.everyMs);
  const offset = s.at !== undefined ? parseTimeOfDay(s.at) : undefined;
  const anchor = offset !== undefined ? Math.floor(seenAt / DAY_MS) * DAY_MS + offset : s.since;
  return anchor + (Math.floor((seenAt - anchor) / every) + 1) * every;
}

/** One message for the collected item deliveries (oldest first): the newest DIGEST_MAX_LINES are listed. */
export function buildDigest(items: Delivery[]): DigestMessage | undefined {
  const models = items.flatMap((d) => (d.message.kind === 'item' ? [d.message] : []));
  const last = models.at(-1);
  if (!last) return undefined;
  const shown = models.slice(-DIGEST_MAX_LINES);
  return {
    kind: 'digest',
    feedTitle: last.feedTitle,
    feedUrl: last.feedUrl,
    ...(last.feedIcon ? { feedIcon: last.feedIcon } : {}),
    lines: shown.map((m) => ({ title: m.title, ...(m.link ? { link: m.link } : {}) })),
    more: models.length - shown.length,
  };
}
