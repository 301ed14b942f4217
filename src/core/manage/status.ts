// /feeds status: a read-only health summary anyone in the channel may see.
import type { FeedRecord } from '../../domain/records.js';
import type { HeraldCore } from '../herald.js';
import type { ChannelRef } from '../../domain/types.js';
import { VERSION } from '../../version.js';

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
  /** Feeds more than 1 s past due whose poll has not started, and how late the latest is. */
  overdue: number;
  maxLagMs: number;
  queueDepth: number;
  version: string;
  uptimeMs: number;
}

/** Async: in a cluster the schedule's state (overdue feeds, last poll) is asked of Redis. */
export async function collectStatus(herald: Pick<HeraldCore, 'store' | 'scheduler' | 'queue' | 'startedAt' | 'clock'>, channel: ChannelRef): Promise<StatusReport> {
  const { store } = herald;
  const feeds = store.feeds.list();
  const here = store.subscriptions.listByChannel(channel);
  const hereFeeds = new Set(here.map((s) => s.feedId));
  const failing = feeds.filter((f) => f.failures > 0 || f.failingPaused);
  const report: StatusReport = {
    feeds: feeds.length,
    subscriptionsHere: here.length,
    subscriptionsTotal: store.subscriptions.list().length,
    failingTotal: failing.length,
    failingHere: failing.filter((f) => hereFeeds.has(f.id)),
    pausedHere: here.filter((s) => s.paused).length,
    blockedHere: here.filter((s) => s.state === 'blocked').length,
    overdue: 0,
    maxLagMs: 0,
    queueDepth: herald.queue.pending,
    version: VERSION,
    uptimeMs: Math.max(0, herald.clock.now() - herald.startedAt),
  };
  const schedule = await herald.scheduler.status();
  report.overdue = schedule.overdue;
  report.maxLagMs = schedule.overdue ? schedule.maxLagMs : 0;
  if (schedule.lastPollAt !== undefined) report.lastPollAt = schedule.lastPollAt;
  return report;
}

/** "3d 4h", "5h 2m", "42s": enough precision for an uptime line. */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
