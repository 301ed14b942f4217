// When a feed is due, in every runtime. POLL_INTERVAL means the interval: phases are spread
// once (when a feed is added, and at start for feeds overdue after downtime); after that the
// next check is the previous due time + interval, so polls do not drift later by the time a
// poll takes or by jitter, and the mean interval is the interval.

/** A new feed's first check: one interval on, plus up to 10% so feeds added together drift apart. */
export function firstCheck(now: number, intervalMs: number, random: () => number = Math.random): number {
  return now + intervalMs + Math.floor(random() * intervalMs * 0.1);
}

/**
 * The check after a successful poll: the previous due time + interval (a feed's <ttl> or
 * Cache-Control may lengthen `intervalMs`). A poll ahead of its due time (/feeds resume, a
 * test's pollNow) counts from its start; one more than an interval late (downtime, an
 * overloaded machine) starts a new phase from its start instead of firing catch-up polls.
 */
export function nextDue(prevDue: number, started: number, intervalMs: number): number {
  const next = Math.min(prevDue, started) + intervalMs;
  return next > started ? next : started + intervalMs;
}

/** At start: a feed overdue after downtime gets a random time within one interval, not a stampede. */
export function spreadDue(dueAt: number, now: number, intervalMs: number, random: () => number = Math.random): number {
  return dueAt < now ? now + Math.floor(random() * intervalMs) : dueAt;
}
