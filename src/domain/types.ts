// Shared vocabulary of the pipeline. Nothing here knows about Discord or Slack:
// platforms appear only as an opaque `platform` string on a channel target.

/**
 * A platform's name, as its module in src/platforms/registry.ts gives it ('discord', 'slack').
 * A string, not a union: the registry is the one list of platforms, so a new one adds no name
 * here. PLATFORM_NAME is the shape every name has (a key part: no ':').
 */
export type Platform = string;
export const PLATFORM_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Where messages go: a channel in a Discord guild or a Slack workspace. */
export interface ChannelRef {
  platform: Platform;
  /** Discord guild id or Slack team id. */
  workspaceId: string;
  channelId: string;
}

/** One entry of a feed after parsing, before rendering. */
export interface FeedItem {
  /** Stable identity: guid, else link, else a content hash (see core/identify). */
  id: string;
  title: string;
  link?: string;
  /** Raw HTML or text of the item body; render turns it into markdown. */
  contentHtml?: string;
  summaryText?: string;
  author?: string;
  /** ISO 8601, if the feed gave a parseable date. */
  date?: string;
  categories: string[];
  /** Candidate image URLs in preference order (enclosure, media:*, itunes, first <img>). */
  images: string[];
  /** Position in the document, 0 = first; orders undated items. */
  index: number;
}

export interface ParsedFeed {
  title: string;
  link?: string;
  iconUrl?: string;
  /** RSS <ttl> or sy:updatePeriod in ms, a hint to poll less often. */
  ttlMs?: number;
  items: FeedItem[];
}

/**
 * How a subscription's posts look: `compact` (the default card: excerpt, ≤ 3 categories),
 * `full` (the whole text up to the platform's limits), `link` (title and bare link, the
 * platform's own preview).
 */
export type CardStyle = 'compact' | 'full' | 'link';
export const CARD_STYLES: readonly CardStyle[] = ['compact', 'full', 'link'];

/** Platform-neutral message; adapters turn it into an embed or Block Kit. */
export interface RenderModel {
  title: string;
  link?: string;
  /** Light markdown: **bold**, _em_, [text](url), line breaks. */
  summary: string;
  author?: string;
  date?: string;
  categories: string[];
  feedTitle: string;
  feedUrl: string;
  feedIcon?: string;
  image?: string;
  /** Stable per-feed colour (24-bit RGB). */
  color: number;
  /** Set when the subscription has a template: the text to post instead of the rich layout. */
  templateText?: string;
  /** Layout; absent = compact (and rows queued before styles existed). */
  style?: CardStyle;
}

/** A plain line from Herald itself (notices such as "feed paused", "N more skipped"). */
export interface NoticeMessage {
  kind: 'notice';
  text: string;
}

export type OutgoingMessage = ({ kind: 'item' } & RenderModel) | NoticeMessage;

/** One line of a digest: what an item's own post would have linked to. */
export interface DigestLine {
  title: string;
  link?: string;
}

/** Several items of one subscription as one message (see core/deliver/digest.ts). */
export interface DigestMessage {
  kind: 'digest';
  feedTitle: string;
  feedUrl: string;
  feedIcon?: string;
  /** Oldest first, so the newest is last; at most DIGEST_MAX_LINES. */
  lines: DigestLine[];
  /** Items collected but not listed (counted "and N more"). */
  more: number;
}

/** Anything a sender may be handed: outbox messages, and digests built from them at send time. */
export type SendableMessage = OutgoingMessage | DigestMessage;

/**
 * How one subscription wants its posts delivered, beyond "a message in the channel". Core
 * stores and passes this along; only the platform adapters know what each setting means
 * there (a forum channel, for instance, is the platform's own fact, not a setting).
 */
export interface DeliveryTarget {
  /** Start a thread from each post, for discussion (platforms that have the idea). */
  threadPerItem?: boolean;
  /** Publish each post to followers (Discord announcement channels); unset: the channel's default. */
  publish?: boolean;
  /** Post as the feed instead of as the bot. Present = on; a missing name or avatar means the feed's own. */
  identity?: { name?: string; avatarUrl?: string };
  /** Who each post pings: a platform id (Discord role id, Slack user-group id). Feed text still pings nobody. */
  mention?: string;
  /** Collect items and send them as one message per period. */
  digest?: DigestSchedule;
}

export interface DigestSchedule {
  everyMs: number;
  /** "HH:MM" in UTC: periods end at this time of day (and every `everyMs` from it). */
  at?: string;
  /** Epoch ms periods count from when there is no `at` (when the digest was turned on). */
  since: number;
}

/** Where a sender posts: the channel, plus the subscription's delivery settings. */
export type SendTarget = ChannelRef & { delivery?: DeliveryTarget };

/** What a platform said about one send; decides retry and subscription state. */
export type SendResult =
  | { ok: true }
  | { ok: false; kind: 'retry'; retryAfterMs?: number; reason: string }
  | { ok: false; kind: 'blocked'; reason: string }
  | { ok: false; kind: 'gone'; reason: string };

/**
 * What a send is, beyond its content. `key` is the same for every attempt at one delivery
 * (after a timeout, a crash, in another process), so a platform with an idempotency field
 * (Discord's message nonce) can make a repeated attempt return the first post.
 */
export interface SendMeta {
  key: string;
}

/** Port implemented by each platform adapter: the only platform branch in delivery. */
export interface MessageSender {
  readonly platform: Platform;
  /**
   * Epoch ms when `target` accepts its next message (≤ now: right away), from what the sender
   * knows of the platform's limits (Discord's bucket headers, Slack's per-channel pace). The
   * queue parks a channel until then rather than let send() wait while it holds a slot.
   * Required, so a wrapper cannot drop it: every wrapper forwards it.
   */
  readyAt(target: ChannelRef): number | Promise<number>;
  send(target: SendTarget, message: SendableMessage, meta?: SendMeta): Promise<SendResult>;
}
