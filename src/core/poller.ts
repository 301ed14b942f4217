// The in-process scheduler: each feed URL is fetched once per interval, however many channels
// subscribe. Due feeds start most overdue first (a heap, not a scan of every feed), limited by
// FETCH_CONCURRENCY overall and FETCH_PER_HOST at once per host, the next starting as soon
// as one ends. When the machine keeps up, a feed starts at its due time; when it does not,
// every feed slips by about the same, since the most overdue one always goes next.
//
// Three parts, so part 11 (scale-out on BullMQ) can swap each for a shared one:
//  - which feed is due when: DueQueue (schedule/due-queue.ts; a Redis sorted set in a cluster);
//  - poll this one feed now: pollFeed() (poll-feed.ts; what a job worker runs);
//  - per-host politeness: HostLimiter (schedule/host-limiter.ts; a Redis limiter keyed by host).
import type { FeedRecord } from '../domain/records.js';
import { hostOf, pollFeed, type PollFeedDeps } from './poll-feed.js';
import { DueHeap, type DueEntry, type DueQueue } from './schedule/due-queue.js';
import { LocalHostLimiter, type HostLimiter } from './schedule/host-limiter.js';
import { HostWaitLists } from './schedule/host-waits.js';

/** What each poll needs (PollFeedDeps) less what the poller derives itself: its clock and schedule. */
export interface PollerOptions extends Omit<PollFeedDeps, 'now' | 'nextCheck' | 'shared'> {
  concurrency: number;
  /** Polls under way per feed host at once (FETCH_PER_HOST); the fetcher enforces it too. */
  perHost?: number;
  now?: () => number;
  random?: () => number;
  due?: DueQueue;
  hosts?: HostLimiter;
  /** How often the schedule is checked against the store for feeds changed elsewhere. */
  reconcileMs?: number;
}

/** A feed counts as overdue once it is this late; a poll starting a few ms late is on time. */
const OVERDUE_GRACE_MS = 1000;
/** Longest sleep between wake-ups, so a clock jump or a missed wake-up cannot stall polling. */
const MAX_SLEEP_MS = 5000;
/**
 * Wake-ups are coalesced to this grain (or a twentieth of the interval, if smaller): feeds
 * due within one grain start together, so thousands of feeds cost a few wake-ups a second
 * instead of one each. Not a cap: every due feed the limits allow starts at each wake-up.
 */
const WAKE_GRAIN_MS = 100;
/** A Retry-After pause of a host is capped, so one bad answer cannot silence a host for ever. */
const MAX_HOST_PAUSE_MS = 86_400_000;

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly due: DueQueue;
  private readonly hosts: HostLimiter;
  /** Feeds that are due but whose host is busy or paused, in due order per host. */
  private readonly waits = new HostWaitLists();
  private running = 0;
  private readonly grain: number;
  private stopped = true;
  readonly now: () => number;
  private readonly random: () => number;
  private readonly job: PollFeedDeps;
  /** When the last poll started. */
  lastCycleAt: number | undefined;

  constructor(private readonly o: PollerOptions) {
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    this.due = o.due ?? new DueHeap();
    this.hosts = o.hosts ?? new LocalHostLimiter(o.perHost ?? Number.POSITIVE_INFINITY);
    this.grain = Math.min(WAKE_GRAIN_MS, Math.floor(o.pollIntervalMs / 20));
    this.job = { ...o, now: this.now, nextCheck: (from, ms) => this.nextCheck(from, ms) };
    o.metrics.setOverdueSource(() => this.overdue().count);
  }

  /** Next check time: one interval on, plus up to 10% jitter so feeds drift apart. */
  nextCheck(from: number, intervalMs = this.o.pollIntervalMs): number {
    return from + intervalMs + Math.floor(this.random() * intervalMs * 0.1);
  }

  async start(): Promise<void> {
    this.stopped = false;
    // After downtime every feed is overdue: spread them over one interval instead of a
    // stampede. Only in the schedule: writing 100,000 check times at start would stall it.
    const now = this.now();
    for (const feed of this.o.store.feeds.list()) {
      if (feed.failingPaused) continue;
      this.due.set(feed.id, feed.nextCheckAt < now ? now + Math.floor(this.random() * this.o.pollIntervalMs) : feed.nextCheckAt);
    }
    this.pump();
    const every = this.o.reconcileMs ?? Math.min(30_000, Math.max(1000, this.o.pollIntervalMs));
    this.reconcileTimer = setInterval(() => this.reconcile(), every);
    this.reconcileTimer.unref();
  }

  /**
   * Safety net for feeds that reached the store without reschedule() (an import, a restore):
   * adds feeds the schedule does not know and drops stopped or removed ones. O(feeds), so it
   * runs seldom; it never moves a known feed, since the schedule may hold a spread-out time
   * the record does not (see start()).
   */
  reconcile(): void {
    for (const feed of this.o.store.feeds.list()) this.place(feed, false);
    for (const id of this.waits.ids()) if (!this.o.store.feeds.get(id)) this.waits.delete(id);
    this.pump();
  }

  /** Tells the schedule that this feed was added or its due time changed. */
  reschedule(feedId: string): void {
    const feed = this.o.store.feeds.get(feedId);
    if (feed) this.place(feed, true);
    else this.due.delete(feedId);
    this.pump();
  }

  private place(feed: FeedRecord, move: boolean): void {
    if (this.inFlight.has(feed.id) || this.waits.has(feed.id)) return;
    if (feed.failingPaused) this.due.delete(feed.id);
    else if (move || this.due.dueOf(feed.id) === undefined) this.due.set(feed.id, feed.nextCheckAt);
  }

  /** Starts every due feed the limits allow, most overdue first. Kept as the old name for callers. */
  dispatchDue(): void {
    this.pump();
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.now();
    while (this.running < this.o.concurrency) {
      const top = this.due.peek();
      const topDue = top && top.dueAt <= now ? top.dueAt : Number.POSITIVE_INFINITY;
      const ready = this.waits.earliestReady(now, (h) => this.hosts.pausedUntil(h, now) === undefined);
      if (ready && ready.entry.dueAt <= topDue) {
        if (!this.hosts.tryAcquire(ready.host, now)) {
          this.waits.block(ready.host);
          continue;
        }
        this.waits.shift(ready.host);
        const feed = this.o.store.feeds.get(ready.entry.id);
        // Removed, or stopped after failures, while it waited: let its slot go.
        if (!feed || feed.failingPaused) this.hosts.release(ready.host);
        else this.begin(ready.entry, ready.host);
        continue;
      }
      if (!top || topDue === Number.POSITIVE_INFINITY) break;
      this.due.pop();
      const feed = this.o.store.feeds.get(top.id);
      if (!feed || feed.failingPaused) continue;
      // Moved later by someone else since it was queued: it is not due yet.
      if (feed.nextCheckAt > top.dueAt && feed.nextCheckAt > now) {
        this.due.set(feed.id, feed.nextCheckAt);
        continue;
      }
      const host = hostOf(feed.url);
      // Behind its host's queue (FIFO keeps the most overdue of that host first), or its own.
      if (this.waits.queued(host) || !this.hosts.tryAcquire(host, now)) this.waits.push(host, top);
      else this.begin(top, host);
    }
    this.arm(now);
  }

  /** Sleeps until the next feed is due or a paused host may be asked again. */
  private arm(now: number): void {
    let at = now + MAX_SLEEP_MS;
    const top = this.due.peek();
    if (top && this.running < this.o.concurrency) at = Math.min(at, Math.max(now, top.dueAt) + this.grain);
    for (const host of this.waits.blockedHosts()) {
      const until = this.hosts.pausedUntil(host, now);
      if (until !== undefined) at = Math.min(at, until);
    }
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.waits.unblockAll();
      this.pump();
    }, Math.max(1, at - now));
    this.timer.unref();
  }

  private begin(entry: DueEntry, host: string): void {
    const started = this.now();
    this.lastCycleAt = started;
    this.o.metrics.pollLag.observe(Math.max(0, started - entry.dueAt) / 1000);
    this.running++;
    const p = this.run(entry.id).finally(() => {
      this.running--;
      this.hosts.release(host);
      this.waits.unblock(host);
      this.pump();
    });
    this.inFlight.set(entry.id, p);
  }

  private async run(feedId: string): Promise<void> {
    try {
      const report = await pollFeed(feedId, this.job);
      if (report.retryAfterMs !== undefined) {
        const feed = this.o.store.feeds.get(feedId);
        if (feed) this.hosts.pause(hostOf(feed.url), this.now() + Math.min(report.retryAfterMs, MAX_HOST_PAUSE_MS));
      }
      this.inFlight.delete(feedId);
      if (report.nextCheckAt !== undefined && !this.stopped) this.due.set(feedId, report.nextCheckAt);
      else this.due.delete(feedId);
    } catch (err) {
      this.inFlight.delete(feedId);
      this.o.logger.error({ err, feedId }, 'poll crashed');
      // The store still knows the feed; reconcile() puts it back on the schedule.
    }
  }

  /** Polls one feed now, outside the schedule and its limits (or joins the poll under way). */
  pollNow(feedId: string): Promise<void> {
    const running = this.inFlight.get(feedId);
    if (running) return running;
    this.due.delete(feedId);
    this.waits.delete(feedId);
    const p = this.run(feedId);
    this.inFlight.set(feedId, p);
    return p;
  }

  /** Feeds more than a second past their due time that have not started. */
  overdue(): { count: number; maxLagMs: number } {
    const now = this.now();
    const heap = this.due.due(now - OVERDUE_GRACE_MS);
    const waiting = this.waits.due(now - OVERDUE_GRACE_MS);
    const earliest = Math.min(heap.earliest ?? Number.POSITIVE_INFINITY, waiting.earliest ?? Number.POSITIVE_INFINITY);
    return { count: heap.count + waiting.count, maxLagMs: Number.isFinite(earliest) ? now - earliest : 0 };
  }

  /**
   * Stops scheduling and waits a little for polls under way. A fetch may take 20 s, longer
   * than a graceful shutdown may; abandoning one is safe, since new items reach the outbox
   * before they count as seen, and the next start polls the feed again.
   */
  async stop(graceMs = 3000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), grace]);
    clearTimeout(timer);
  }

  isPolling(feed: FeedRecord): boolean {
    return this.inFlight.has(feed.id);
  }
}
