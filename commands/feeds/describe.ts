import { untrusted } from '../../src/domain/reply-text.js';
import type { FeedRecord, SubscriptionRecord } from '../../src/domain/records.js';

/** Short state words for lists: paused, blocked, failing with the last error. */
export function describeState(s: SubscriptionRecord, feed: FeedRecord | undefined): string {
  const parts: string[] = [];
  if (s.paused) parts.push('⏸ paused');
  if (s.state === 'blocked') parts.push(`⛔ blocked: ${s.blockedReason ?? 'missing permission to post'}`);
  // Error messages can quote what a feed's server sent.
  if (feed?.failingPaused) parts.push(`⚠ stopped after ${feed.failures} failures: ${untrusted(feed.lastError?.message)}`);
  else if (feed && feed.failures > 0) parts.push(`⚠ failing (${feed.failures}x): ${untrusted(feed.lastError?.message)}`);
  return parts.join(' · ');
}
