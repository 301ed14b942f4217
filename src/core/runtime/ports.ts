// The ports a runtime provides to the core. A single process (runtime/local.ts) and a cluster
// (src/cluster/cluster-runtime.ts) are two implementations of these; app.ts picks one, once.
// Everything above them (polling one feed, ingest, the outbox rules, retry delays, status,
// metrics) is written once, in the core, and does not know which runtime runs it.
import type { FeedRecord } from '../../domain/records.js';
import type { PollReport } from '../poll-feed.js';
import type { GroupLimits, TurnResult } from '../deliver/scheduler.js';
import type { BudgetSettings, TenantPorts } from '../tenant/ports.js';
import type { Pacer } from '../limits/pacer.js';

/** The one clock of the core: tests inject a fake one, nothing in the core calls Date.now(). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** What `/feeds status` and herald_feeds_overdue show; both runtimes answer it cluster-wide. */
export interface SchedulerStatus {
  /** Feeds more than OVERDUE_GRACE_MS past their due time whose poll has not started. */
  overdue: number;
  /** How late the most overdue of them is (0 when none is). */
  maxLagMs: number;
  /** When the latest poll started, in any process. */
  lastPollAt?: number;
}

/** Which feed is polled when. The core gives it the work; it decides the time and the limits. */
export interface PollScheduler {
  start(): Promise<void>;
  stop(graceMs?: number): Promise<void>;
  /** This feed was added, resumed or removed, or its due time changed. */
  reschedule(feedId: string): void;
  /** Safety net for feeds that reached the store without reschedule() (an import, a restore). */
  reconcile(): Promise<void>;
  status(): Promise<SchedulerStatus>;
}

/** What a scheduler needs from the core: the feeds, and how to poll one of them. */
export interface PollWork {
  feeds: { list(): FeedRecord[]; get(id: string): FeedRecord | undefined; changedElsewhere(id: string): Promise<FeedRecord | undefined> };
  /** pollFeed() bound to the core's store, fetcher and queue. */
  poll(feedId: string): Promise<PollReport>;
  /** A poll starts (any runtime): feeds the poll-lag metric. */
  onStart(feedId: string, dueAt: number): void;
  /** A poll crashed (a bug or a store error, not a failed fetch): logged, retried after CRASH_RETRY_MS. */
  onError(feedId: string, err: unknown): void;
}

/** Which channel sends next: channels take turns of one message each. */
export interface Dispatcher {
  /** There may be new work for this channel. */
  kick(key: string): void;
  start(): Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
  /** Resolves once no channel has work it can do now or later (tests, benchmarks). */
  idle(): Promise<void>;
}

/** What a dispatcher needs from the core: one turn of one channel (DeliveryQueue's). */
export interface DispatchWork {
  /** The channel's platform and its limits: sends in flight at once, sends started per second. */
  groupOf(key: string): GroupLimits;
  turn(key: string): Promise<TurnResult>;
  onError(key: string, err: unknown): void;
}

/** Per-host politeness for fetches outside the schedule (scheduled polls hold their slot already). */
export interface HostSlots {
  /** Waits for a slot of `host` (FETCH_PER_HOST at once), at most `timeoutMs`; rejects then. */
  acquire(host: string, timeoutMs: number): Promise<() => void>;
}

/** One runtime: the ports above, built for the core that app.ts creates next. */
export interface Runtime {
  readonly kind: 'local' | 'cluster';
  /** Several processes share the store: a poll confirms from the store what its cache says. */
  readonly shared: boolean;
  readonly clock: Clock;
  /** Per-key pacing (platform buckets, Slack's per-channel rule), shared by every sender. */
  readonly pacer: Pacer;
  /** FETCH_PER_HOST, shared by the schedule and the fetcher (app.ts hands it to the fetcher). */
  readonly hosts: HostSlots;
  scheduler(work: PollWork): PollScheduler;
  dispatcher(work: DispatchWork): Dispatcher;
  tenantPorts(budget: BudgetSettings): TenantPorts;
  /** Readiness of what the runtime depends on (the cluster's Redis). */
  check(): { ready: boolean; reason?: string };
  /** Before the core stops: take no new jobs (the cluster's workers). */
  stopWorkers(): Promise<void>;
  /** Last: close connections. */
  close(): Promise<void>;
}
