// Delivery settings in OPML: one `heraldDelivery` attribute (JSON) per outline, which other
// readers ignore and /feeds import reads back. A file is untrusted input, so it is checked
// field by field; a mention (a role or user-group id) only means something in the
// workspace it came from, so it is kept only there.
import { z } from 'zod';
import { DIGEST_MIN_EVERY_MS, parseTimeOfDay } from '../deliver/digest.js';
import { DIGEST_MAX_EVERY_MS, IDENTITY_NAME_MAX } from '../manage/delivery.js';
import { httpsUrl } from '../render/url.js';
import type { ChannelRef, DeliveryTarget } from '../../domain/types.js';

const MAX_ATTR = 2000;

const schema = z.object({
  threadPerItem: z.boolean().optional(),
  publish: z.boolean().optional(),
  identity: z
    .object({
      name: z.string().min(1).max(IDENTITY_NAME_MAX).optional(),
      avatarUrl: z.string().refine((u) => httpsUrl(u) !== undefined).optional(),
    })
    .optional(),
  mention: z.string().regex(/^[A-Za-z0-9]{2,30}$/).optional(),
  mentionFrom: z.string().max(200).optional(),
  digest: z
    .object({
      everyMs: z.number().int().min(DIGEST_MIN_EVERY_MS).max(DIGEST_MAX_EVERY_MS),
      at: z.string().refine((t) => parseTimeOfDay(t) !== undefined).optional(),
    })
    .optional(),
});

const where = (c: ChannelRef) => `${c.platform}:${c.workspaceId}`;

export function encodeDelivery(d: DeliveryTarget | undefined, channel: ChannelRef): string | undefined {
  if (!d || !Object.keys(d).length) return undefined;
  const { digest, mention, ...rest } = d;
  return JSON.stringify({
    ...rest,
    ...(mention ? { mention, mentionFrom: where(channel) } : {}),
    ...(digest ? { digest: { everyMs: digest.everyMs, ...(digest.at ? { at: digest.at } : {}) } } : {}),
  });
}

/** The settings to apply to an imported subscription, or undefined when the attribute is absent or unusable. */
export function decodeDelivery(text: string | undefined, channel: ChannelRef, now: number): DeliveryTarget | undefined {
  if (!text || text.length > MAX_ATTR) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { mention, mentionFrom, digest, identity, ...rest } = parsed.data;
  const out: DeliveryTarget = { ...rest };
  if (identity) out.identity = { ...(identity.name ? { name: identity.name } : {}), ...(identity.avatarUrl ? { avatarUrl: identity.avatarUrl } : {}) };
  if (mention && mentionFrom === where(channel)) out.mention = mention;
  if (digest) out.digest = { everyMs: digest.everyMs, ...(digest.at ? { at: digest.at } : {}), since: now };
  return Object.keys(out).length ? out : undefined;
}
