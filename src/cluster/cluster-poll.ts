// What a poll job runs in a cluster: take a slot of the feed's host from the Redis limiter
// (FETCH_PER_HOST at once cluster-wide, nothing while the host is paused), poll the feed with
// the same pollFeed() the single process uses, pass on a Retry-After pause to every process.
// A busy or paused host does not hold a worker: the job is re-delayed until a slot may be free.
import type { PollReport } from '../core/poll-feed.js';
import { hostPauseMs } from '../core/runtime/rules.js';
import type { RedisHostGate } from './redis-limits.js';

export interface ClusterPollDeps {
  /** pollFeed(feedId, deps) bound to this process's store, fetcher and queue. */
  poll(feedId: string): Promise<PollReport>;
  /** The feed's host, or undefined when the feed is gone or Herald stopped it (failingPaused). */
  hostOf(feedId: string): string | undefined;
  gate: RedisHostGate;
  now: () => number;
}

/** Returns the feed's next due time for PollQueue, or undefined when the feed has none (gone, stopped). */
export function clusterPollOne(d: ClusterPollDeps): (feedId: string) => Promise<number | undefined> {
  return async (feedId) => {
    const host = d.hostOf(feedId);
    if (host === undefined) return undefined;
    // Holder = the feed: status() tells a poll under way from a job that found its host full.
    const slot = await d.gate.tryAcquire(host, { holder: feedId });
    // Jittered so the feeds of one busy host do not all come back in the same millisecond.
    if ('waitMs' in slot) return d.now() + slot.waitMs + Math.floor(Math.random() * 50);
    let report: PollReport;
    try {
      report = await d.poll(feedId);
      // Paused before the slot goes back, so no other feed of the host slips in between.
      const pause = hostPauseMs(report);
      if (pause !== undefined) await d.gate.pause(host, pause);
    } finally {
      await slot.release();
    }
    // Gone, or stopped after failures (failingPaused): the job ends; /feeds resume reschedules.
    return report.nextCheckAt;
  };
}
