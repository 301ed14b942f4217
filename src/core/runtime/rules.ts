// Timing rules that hold in every runtime. Each lives here once; both runtimes import it.

/** A feed counts as overdue once it is this late; a poll starting a few ms late is on time. */
export const OVERDUE_GRACE_MS = 1000;

/** A Retry-After pause of a host is capped, so one bad answer cannot silence a host for ever. */
export const MAX_HOST_PAUSE_MS = 86_400_000;

/**
 * A poll or a delivery turn that crashed (a bug, a broken store; not a failed fetch or a
 * refused send, which have their own backoff) is tried again after this, so it cannot spin.
 */
export const CRASH_RETRY_MS = 5000;

/**
 * How often the schedule is checked against the store for feeds changed elsewhere. One rule
 * for both runtimes, since a round costs about the same in each: a walk over the cached feed
 * list, plus in a cluster one read of the poll job ids and an add only for feeds without a job
 * (cluster/poll-queue.ts reconcile), never a Redis call per feed.
 */
export function reconcileEveryMs(pollIntervalMs: number): number {
  return Math.min(30_000, Math.max(1000, pollIntervalMs));
}

/** The pause a poll report asks its host for, capped; undefined when none. */
export function hostPauseMs(report: { retryAfterMs?: number }): number | undefined {
  return report.retryAfterMs === undefined ? undefined : Math.min(report.retryAfterMs, MAX_HOST_PAUSE_MS);
}
