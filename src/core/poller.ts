// The in-process PollScheduler: each feed URL is fetched once per interval, however many
// channels subscribe. Due feeds start most overdue first (a heap, not a scan of every feed),
// limited by FETCH_CONCURRENCY overall and FETCH_PER_HOST at once per host, the next starting
// as soon as one ends. When the machine keeps up, a feed starts at its due time; when it does
// not, every feed slips by about the same, since the most overdue one always goes next.
// The cluster's counterpart is src/cluster/cluster-scheduler.ts (BullMQ delayed jobs); what a
// poll does is the core's (PollWork, built in herald.ts), the same in both.
import type { FeedRecord } from '../domain/records.js';
import { hostOf } from './poll-feed.js';
import type { Clock, PollScheduler, PollWork, SchedulerStatus } from './runtime/ports.js';
import { hostPauseMs, OVERDUE_GRACE_MS, CRASH_RETRY_MS } from './runtime/rules.js';
import { spreadDue } from './schedule/next-check.js';
import { DueHeap, type DueEntry } from './schedule/due-queue.js';
import { HostLimiter } from './limits/host-slots.js';
import { HostWaitLists } from './schedule/host-waits.js';

export interface PollerOptions {
  work: PollWork;
  pollIntervalMs: number;
  concurrency: number;
  /** FETCH_PER_HOST, shared with the fetcher (the runtime's); unbounded when absent. */
  hosts?: HostLimiter;
  clock: Clock;
  random?: () => number;
}

/** Longest sleep between wake-ups, so a clock jump or a missed wake-up cannot stall polling. */
const MAX_SLEEP_MS = 5000;
/**
 * Wake-ups are coalesced to this grain (or a twentieth of the interval, if smaller): feeds
 * due within one grain start together, so thousands of feeds cost a few wake-ups a second
 * instead of one each. Not a cap: every due feed the limits allow starts at each wake-up.
 */
const WAKE_GRAIN_MS = 100;

export class Poller implements PollScheduler {
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly due = new DueHeap();
  private readonly hosts: HostLimiter;
  /** Feeds that are due but whose host is busy or paused, in due order per host. */
  private readonly waits = new HostWaitLists();
  private running = 0;
  private readonly grain: number;
  private stopped = true;
  private readonly random: () => number;
  private readonly feeds: PollWork['feeds'];
  /** When the last poll started. */
  private lastPollAt: number | undefined;

  constructor(private readonly o: PollerOptions) {
    this.random = o.random ?? Math.random;
    this.feeds = o.work.feeds;
    this.hosts = o.hosts ?? new HostLimiter(Number.POSITIVE_INFINITY);
    // A probe (the fetcher's, outside the schedule) that ends frees a slot the schedule may use.
    this.hosts.onFree = (host) => {
      this.waits.unblock(host);
      this.pump();
    };
    this.grain = Math.min(WAKE_GRAIN_MS, Math.floor(o.pollIntervalMs / 20));
  }

  private now(): number {
    return this.o.clock.now();
  }

  async start(): Promise<void> {
    this.stopped = false;
    // After downtime every feed is overdue: spread them over one interval instead of a
    // stampede. Only in the schedule: writing 100,000 check times at start would stall it.
    const now = this.now();
    for (const feed of this.feeds.list()) {
      if (!feed.failingPaused) this.due.set(feed.id, spreadDue(feed.nextCheckAt, now, this.o.pollIntervalMs, this.random));
    }
    this.pump();
  }

  /**
   * Safety net for feeds that reached the store without reschedule() (an import, a restore):
   * adds feeds the schedule does not know and drops stopped or removed ones. O(feeds), so it
   * runs seldom; it never moves a known feed, since the schedule may hold a spread-out time
   * the record does not (see start()).
   */
  async reconcile(): Promise<void> {
    for (const feed of this.feeds.list()) this.place(feed, false);
    for (const id of this.waits.ids()) if (!this.feeds.get(id)) this.waits.delete(id);
    this.pump();
  }

  /** Tells the schedule that this feed was added or its due time changed. */
  reschedule(feedId: string): void {
    const feed = this.feeds.get(feedId);
    if (feed) this.place(feed, true);
    else this.due.delete(feedId);
    this.pump();
  }

  private place(feed: FeedRecord, move: boolean): void {
    if (this.inFlight.has(feed.id) || this.waits.has(feed.id)) return;
    if (feed.failingPaused) this.due.delete(feed.id);
    else if (move || this.due.dueOf(feed.id) === undefined) this.due.set(feed.id, feed.nextCheckAt);
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
        const feed = this.feeds.get(ready.entry.id);
        // Removed, or stopped after failures, while it waited: let its slot go.
        if (!feed || feed.failingPaused) this.hosts.release(ready.host);
        else this.begin(ready.entry, ready.host);
        continue;
      }
      if (!top || topDue === Number.POSITIVE_INFINITY) break;
      this.due.pop();
      const feed = this.feeds.get(top.id);
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
    this.lastPollAt = this.now();
    this.o.work.onStart(entry.id, entry.dueAt);
    this.running++;
    const p = this.run(entry.id).finally(() => {
      this.running--;
      this.hosts.release(host); // a freed slot unblocks the host's waiting feeds (onFree)
      this.pump();
    });
    this.inFlight.set(entry.id, p);
  }

  private async run(feedId: string): Promise<void> {
    try {
      const report = await this.o.work.poll(feedId);
      const pause = hostPauseMs(report);
      if (pause !== undefined) {
        const feed = this.feeds.get(feedId);
        if (feed) this.hosts.pause(hostOf(feed.url), this.now() + pause);
      }
      this.inFlight.delete(feedId);
      if (report.nextCheckAt !== undefined && !this.stopped) this.due.set(feedId, report.nextCheckAt);
      else this.due.delete(feedId);
    } catch (err) {
      this.inFlight.delete(feedId);
      this.o.work.onError(feedId, err);
      if (!this.stopped) this.due.set(feedId, this.now() + CRASH_RETRY_MS);
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

  /** Feeds more than OVERDUE_GRACE_MS past their due time that have not started. */
  async status(): Promise<SchedulerStatus> {
    const now = this.now();
    const heap = this.due.due(now - OVERDUE_GRACE_MS);
    const waiting = this.waits.due(now - OVERDUE_GRACE_MS);
    const overdue = heap.count + waiting.count;
    const earliest = Math.min(heap.earliest ?? Number.POSITIVE_INFINITY, waiting.earliest ?? Number.POSITIVE_INFINITY);
    const status: SchedulerStatus = { overdue, maxLagMs: overdue && Number.isFinite(earliest) ? now - earliest : 0 };
    if (this.lastPollAt !== undefined) status.lastPollAt = this.lastPollAt;
    return status;
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
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), grace]);
    clearTimeout(timer);
  }
}
