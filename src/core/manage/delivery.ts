// Rules for the per-subscription delivery settings (identity, digest), shared by the
// /feeds verbs (src/application) and OPML import's checks of a file's settings.
import { parseDuration, formatDuration } from '../../config/duration.js';
import { DIGEST_MIN_EVERY_MS, parseTimeOfDay } from '../deliver/digest.js';
import { UserError } from '../../domain/errors.js';
import { httpsUrl } from '../render/url.js';
import type { DeliveryTarget, DigestSchedule } from '../../domain/types.js';

/** Discord's limit for webhook names; Slack shows longer names cut, so one rule for both. */
export const IDENTITY_NAME_MAX = 80;
/** Longest period a digest may have: a week. */
export const DIGEST_MAX_EVERY_MS = 7 * 86_400_000;

/** A name people can read; Discord refuses webhook names with "discord" or "clyde" in them. */
export function checkIdentityName(raw: string): string {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (!name) throw new UserError('The name is empty. Give the name posts should show, or name:reset to post as Herald again.');
  if ([...name].length > IDENTITY_NAME_MAX) throw new UserError(`The name is too long: at most ${IDENTITY_NAME_MAX} characters.`);
  const lower = name.toLowerCase();
  if (lower.includes('discord') || lower.includes('clyde')) throw new UserError('Discord refuses names that contain “discord” or “clyde”; choose another name.');
  return name;
}

export function checkAvatarUrl(raw: string): string {
  const url = httpsUrl(raw.trim());
  if (!url) throw new UserError('The avatar must be an https:// address of an image (up to 2048 characters).');
  return url;
}

/** `every` ("1h", "30m", "10s") and optional `at` ("08:00", UTC) → a schedule starting now. */
export function parseDigest(every: string, at: string | undefined, now: number): DigestSchedule {
  const everyMs = parseDuration(every.slice(0, 20));
  if (everyMs === undefined) throw new UserError(`“${every.slice(0, 20)}” is not a period. Use a number and a unit, like 30m, 6h or 1d, or off.`);
  if (everyMs < DIGEST_MIN_EVERY_MS) throw new UserError(`A digest period must be at least ${formatDuration(DIGEST_MIN_EVERY_MS)}.`);
  if (everyMs > DIGEST_MAX_EVERY_MS) throw new UserError(`A digest period can be at most ${formatDuration(DIGEST_MAX_EVERY_MS)}.`);
  if (at === undefined || !at.trim()) return { everyMs, since: now };
  if (parseTimeOfDay(at.slice(0, 10)) === undefined) throw new UserError(`“${at.slice(0, 10)}” is not a time of day. Use HH:MM in UTC, like 08:00.`);
  return { everyMs, at: at.trim(), since: now };
}

/** "every 6h at 08:00 UTC": for replies and /feeds list. */
export function describeDigest(d: DigestSchedule): string {
  return `every ${formatDuration(d.everyMs)}${d.at ? ` at ${d.at} UTC` : ''}`;
}

/** Short words for /feeds list: what is set beyond the defaults. */
export function describeDelivery(d: DeliveryTarget | undefined): string[] {
  if (!d) return [];
  const out: string[] = [];
  if (d.digest) out.push(`digest ${describeDigest(d.digest)}`);
  if (d.threadPerItem) out.push('thread per item');
  if (d.publish === false) out.push('not published');
  if (d.publish === true) out.push('published');
  if (d.identity) out.push(`posts as ${d.identity.name ? `“${d.identity.name}”` : 'the feed'}`);
  if (d.mention) out.push(`pings group ${d.mention}`);
  return out;
}
