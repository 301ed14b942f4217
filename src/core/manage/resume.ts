// /feeds resume: undo a pause, a platform block, or Herald's own stop after failures.
import { channelKey, type FeedRecord, type SubscriptionRecord } from '../../domain/records.js';
import type { ChannelRef } from '../../domain/types.js';
import { resolveTargets, type ManageDeps } from './target.js';
import { testSend, type SendCheck } from './test-send.js';

export interface ResumeResult {
  /** Subscriptions that were paused by a person. */
  unpaused: SubscriptionRecord[];
  /** Subscriptions that were blocked by the platform (missing access). */
  unblocked: SubscriptionRecord[];
  /** Feeds Herald had stopped after repeated failures; checked again now. */
  restartedFeeds: FeedRecord[];
  /** Nothing to resume on these. */
  alreadyActive: SubscriptionRecord[];
  /** Outcome of the test notice, when a blocked subscription was involved. */
  sendCheck?: SendCheck;
}

export async function resumeSubscriptions(herald: ManageDeps, channel: ChannelRef, target: string, testTimeoutMs?: number): Promise<ResumeResult> {
  const { store } = herald;
  const out: ResumeResult = { unpaused: [], unblocked: [], restartedFeeds: [], alreadyActive: [] };
  const now = herald.clock.now();
  for (const sub of resolveTargets(herald, channel, target)) {
    const feed = store.feeds.get(sub.feedId);
    const wasBlocked = sub.state === 'blocked';
    if (!sub.paused && !wasBlocked && !feed?.failingPaused) {
      out.alreadyActive.push(sub);
      continue;
    }
    // The queue drops deliveries of blocked subscriptions, so unblock before the test send.
    const next: SubscriptionRecord = { ...sub, paused: false, state: 'active' };
    delete next.blockedReason;
    await store.subscriptions.update(next);
    if (sub.paused) out.unpaused.push(next);
    if (wasBlocked) out.unblocked.push(next);
    if (feed?.failingPaused && !out.restartedFeeds.some((f) => f.id === feed.id)) out.restartedFeeds.push(await restartFeed(herald, feed, now));
  }
  // Deliveries kept while blocked wait in the outbox; let the queue look again.
  if (out.unpaused.length || out.unblocked.length) herald.queue.kick(channelKey(channel));
  const probe = out.unblocked[0];
  if (probe) out.sendCheck = await testSend(herald, probe, testTimeoutMs);
  return out;
}

/** Clears Herald's failure stop for every channel reading the feed, and checks it at once. */
async function restartFeed(herald: ManageDeps, feed: FeedRecord, now: number): Promise<FeedRecord> {
  const next: FeedRecord = { ...feed, failures: 0, nextCheckAt: now };
  delete next.failingPaused;
  await herald.store.feeds.update(next);
  herald.scheduler.reschedule(next.id);
  // So a new run of failures tells each channel again.
  for (const s of herald.store.subscriptions.listByFeed(feed.id)) {
    const current = herald.store.subscriptions.get(s.id) ?? s;
    if (current.failureNoticeSent) await herald.store.subscriptions.update({ ...current, failureNoticeSent: false });
  }
  return next;
}
