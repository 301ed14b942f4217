// The backup file format: what `herald export` writes and `herald import` reads.
// Import reads a file a person hands us, so it is checked before anything is written.
import { z } from 'zod';
import { UserError } from '../domain/errors.js';
import { CARD_STYLES, PLATFORM_NAME } from '../domain/types.js';
import type { Delivery, FeedRecord, SubscriptionRecord } from '../domain/records.js';

export const BACKUP_FORMAT = 'herald-backup';
/** Bump when the document changes incompatibly; import refuses newer documents. */
export const BACKUP_VERSION = 1;

export interface BackupDoc {
  format: typeof BACKUP_FORMAT;
  version: number;
  exportedAt: string;
  /** Herald version that wrote it, for diagnosis only. */
  herald?: string;
  feeds: FeedRecord[];
  /** Ids kept, so links and commands that name a subscription still work after a move. */
  subscriptions: SubscriptionRecord[];
  /** Seen item ids per feed id, newest first: without them every item would be posted again. */
  seen: Record<string, string[]>;
  /** Pending deliveries per channel key, in send order. */
  outbox: Record<string, Delivery[]>;
}

// Only the fields the store relies on are checked; optional ones pass through as they are
// (looseObject), so a backup keeps whatever later versions of the records add.
const text = z.string().min(1);
const feed = z.looseObject({ id: text, url: text, nextCheckAt: z.number(), failures: z.number(), initialized: z.boolean() });
const subscription = z.looseObject({
  id: text.refine((id) => id !== 'index', 'is reserved'),
  feedId: text,
  feedUrl: text,
  // Any platform's name: the registry, not the store, knows which are installed (a Slack
  // subscription restored into a Discord-only Herald waits, as it would have in the old one).
  platform: z.string().regex(PLATFORM_NAME),
  workspaceId: z.string(),
  channelId: text,
  createdBy: z.string(),
  createdAt: z.number(),
  paused: z.boolean(),
  state: z.enum(['active', 'blocked']),
  style: z.enum(CARD_STYLES).optional(),
});
const delivery = z.looseObject({ id: text, subscriptionId: text, feedId: text, seenAt: z.number(), attempts: z.number(), message: z.looseObject({ kind: text }) });
const doc = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().min(1),
  exportedAt: z.string(),
  herald: z.string().optional(),
  feeds: z.array(feed),
  subscriptions: z.array(subscription),
  seen: z.record(z.string(), z.array(z.string())),
  outbox: z.record(z.string(), z.array(delivery)),
});

export function parseBackup(input: unknown): BackupDoc {
  const format = (input as { format?: unknown } | null)?.format;
  if (format !== BACKUP_FORMAT) throw new UserError(`This is not a Herald backup (expected "format": "${BACKUP_FORMAT}"); make one with "herald export".`);
  const version = (input as { version?: unknown }).version;
  if (typeof version === 'number' && version > BACKUP_VERSION) {
    throw new UserError(`This backup has version ${version}, newer than this Herald understands (${BACKUP_VERSION}); upgrade Herald first.`);
  }
  const result = doc.safeParse(input);
  if (!result.success) throw new UserError(`The backup is damaged:\n${z.prettifyError(result.error)}`);
  // The checked fields match the record types; the rest passed through untouched.
  return result.data as unknown as BackupDoc;
}
