// Persisted shapes. Every field added later must be optional so old rows still load.
import type { CardStyle, ChannelRef, DeliveryTarget, OutgoingMessage, Platform } from './types.js';

export type FailureKind =
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'http'
  | 'too-large'
  | 'not-a-feed'
  | 'parse'
  | 'blocked-address'
  | 'bad-url';

export interface FeedError {
  kind: FailureKind;
  message: string;
  at: number;
}

export interface FeedRecord {
  id: string;
  url: string;
  title?: string;
  link?: string;
  iconUrl?: string;
  etag?: string;
  lastModified?: string;
  /** Hash of the last body parsed (after decompression): the same bytes again skip parsing. */
  bodyHash?: string;
  /** Epoch ms of the next scheduled fetch. */
  nextCheckAt: number;
  lastCheckAt?: number;
  lastSuccessAt?: number;
  /** Consecutive failures; reset by any success. */
  failures: number;
  lastError?: FeedError;
  /** True once the first successful poll has recorded the existing items. */
  initialized: boolean;
  /** Paused by Herald after too many failures; `/feeds resume` clears it. */
  failingPaused?: boolean;
  /** Permanent redirect target and how many polls in a row saw it. */
  pendingRedirect?: { url: string; count: number };
}

export type SubscriptionState = 'active' | 'blocked';

export interface FilterRule {
  include: string[];
  exclude: string[];
  field: 'title' | 'summary' | 'author' | 'categories' | 'any';
}

export interface SubscriptionRecord extends ChannelRef {
  id: string;
  feedId: string;
  feedUrl: string;
  createdBy: string;
  createdAt: number;
  paused: boolean;
  state: SubscriptionState;
  blockedReason?: string;
  lastPostAt?: number;
  filter?: FilterRule;
  template?: string;
  /** Post layout (/feeds style); absent = compact. */
  style?: CardStyle;
  /** Set once the "feed paused after failures" notice reached this channel. */
  failureNoticeSent?: boolean;
  /** Where and as what its posts go: threads, publishing, identity, mention, digest. */
  delivery?: DeliveryTarget;
}

/** One pending message in a channel's outbox. */
export interface Delivery {
  id: string;
  subscriptionId: string;
  feedId: string;
  itemId?: string;
  /** When the poller first saw the item: drives max-age and latency metrics. */
  seenAt: number;
  attempts: number;
  message: OutgoingMessage;
}

export function channelKey(ref: { platform: Platform; channelId: string }): string {
  return `${ref.platform}:${ref.channelId}`;
}
