// /feeds status: a read-only health summary anyone in the channel may see. Counts come from
// the store; how polling is doing comes from the scheduler port, so both runtimes answer.
import type { FeedRecord } from '../domain/records.js';
import type { ChannelRef } from '../domain/types.js';
import { VERSION } from '../version.js';
import type { AppDeps } from './deps.js';

export interface StatusReport {
  feeds: number;
  subscriptionsHere: number;
  subscriptionsTotal: number;
  /** Failing feeds across the instance (a count only: other servers' feeds are not ours to show). */
  failingTotal: number;
  /** Failing feeds this channel reads, with their last error. */
  failingHere: FeedRecord[];
  pausedHere: number;
  blockedHere: number;
  lastPollAt?: number;
  /** Feeds past due whose poll has not started, and how late the latest is (when the runtime knows). */
  overdue: number;
  maxLagMs?: number;
  queueDepth: number;
  version: string;
  uptimeMs: number;
}

export async function collectStatus(d: Pick<AppDeps, 'store' | 'queue' | 'scheduler' | 'clock' | 'startedAt'>, channel: ChannelRef): Promise<StatusReport> {
  const { store } = d;
  const feeds = store.feeds.list();
  const here = store.subscriptions.listByChannel(channel);
  const hereFeeds = new Set(here.map((s) => s.feedId));
  const failing = feeds.filter((f) => f.failures > 0 || f.failingPaused);
  const polling = await d.scheduler.status();
  return {
    feeds: feeds.length,
    subscriptionsHere: here.length,
    subscriptionsTotal: store.subscriptions.list().length,
    failingTotal: failing.length,
    failingHere: failing.filter((f) => hereFeeds.has(f.id)),
    pausedHere: here.filter((s) => s.paused).length,
    blockedHere: here.filter((s) => s.state === 'blocked').length,
    overdue: polling.overdue,
    ...(polling.overdue && polling.maxLagMs !== undefined ? { maxLagMs: polling.maxLagMs } : {}),
    ...(polling.lastPollAt !== undefined ? { lastPollAt: polling.lastPollAt } : {}),
    queueDepth: d.queue.pending,
    version: VERSION,
    uptimeMs: Math.max(0, d.clock.now() - d.startedAt),
  };
}
