// The core, assembled: store + fetcher + queue + use cases over the runtime's ports. No
// platform code, and no knowledge of which runtime runs it: app.ts builds the runtime
// (runtime/local.ts, or src/cluster/cluster-runtime.ts) first and hands it in here.
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/interfaces.js';
import { DeliveryQueue } from './deliver/queue.js';
import type { Fetcher } from './fetch/index.js';
import type { Pacer } from './limits/pacer.js';
import { pollFeed } from './poll-feed.js';
import { localRuntime } from './runtime/local.js';
import type { Clock, PollScheduler, PollWork, Runtime } from './runtime/ports.js';
import { reconcileEveryMs } from './runtime/rules.js';
import { firstCheck } from './schedule/next-check.js';
import { SubscriptionService } from './subscriptions.js';
import type { TenantLimitSettings } from './tenant/limits.js';
import type { MessageSender, Platform } from '../domain/types.js';

export interface CoreSettings {
  pollIntervalMs: number;
  maxFailures: number;
  maxItemsPerPoll: number;
  deliveryMaxAgeMs: number;
  fetchConcurrency: number;
  /** FETCH_PER_HOST; optional so tests and tools can leave hosts unbounded. */
  fetchPerHost?: number;
  /** Subscription caps and the feed-check rate per channel and workspace; defaults when absent. */
  tenantLimits?: TenantLimitSettings;
  /** How often the schedule is checked against the store; tests shorten it. */
  reconcileMs?: number;
}

export interface HeraldCore {
  settings: CoreSettings;
  store: Store;
  fetcher: Fetcher;
  queue: DeliveryQueue;
  /** Which feed is polled when: reschedule(feedId) after a change, status() for /feeds status. */
  scheduler: PollScheduler;
  subscriptions: SubscriptionService;
  logger: Logger;
  metrics: Metrics;
  /** The one clock: every time the core or a use case takes comes from here. */
  clock: Clock;
  /** Pacing for senders (platform buckets, per-channel rules): shared by a cluster's processes. */
  pacer: Pacer;
  startedAt: number;
  /** Adapters register their sender before start(). */
  addSender(sender: MessageSender): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface CoreDeps {
  store: Store;
  fetcher: Fetcher;
  logger: Logger;
  metrics: Metrics;
  settings: CoreSettings;
  /** The runtime's ports; a single process (localRuntime) when absent. */
  runtime?: Runtime;
  /** Only with the default runtime: its clock (tests). */
  clock?: Clock;
}

export function createCore(deps: CoreDeps): HeraldCore {
  const { store, fetcher, logger, metrics, settings } = deps;
  const runtime =
    deps.runtime ??
    localRuntime({ pollIntervalMs: settings.pollIntervalMs, pollConcurrency: settings.fetchConcurrency, ...(settings.fetchPerHost ? { perHost: settings.fetchPerHost } : {}), ...(deps.clock ? { clock: deps.clock } : {}) });
  const { clock } = runtime;
  const now = () => clock.now();
  const senders = new Map<Platform, MessageSender>();
  const queue = new DeliveryQueue({ store, senders, logger, metrics, maxAgeMs: settings.deliveryMaxAgeMs, now, dispatch: (work) => runtime.dispatcher(work) });
  const pollDeps = { store, fetcher, queue, logger, metrics, clock, shared: runtime.shared, pollIntervalMs: settings.pollIntervalMs, maxFailures: settings.maxFailures, maxItemsPerPoll: settings.maxItemsPerPoll };
  const work: PollWork = {
    feeds: store.feeds,
    poll: (feedId) => pollFeed(feedId, pollDeps),
    onStart: (_feedId, dueAt) => metrics.pollLag.observe(Math.max(0, now() - dueAt) / 1000),
    onError: (feedId, err) => logger.error({ err, feedId }, 'poll crashed'),
  };
  const scheduler = runtime.scheduler(work);
  metrics.setOverdueSource(async () => (await scheduler.status()).overdue);
  const subscriptions = new SubscriptionService({
    store,
    fetcher,
    queue,
    pollIntervalMs: settings.pollIntervalMs,
    maxItemsPerPoll: settings.maxItemsPerPoll,
    now,
    nextCheck: (from) => firstCheck(from, settings.pollIntervalMs),
    ...(settings.tenantLimits ? { tenantLimits: settings.tenantLimits } : {}),
    onFeedChanged: (feedId) => scheduler.reschedule(feedId),
    tenantPorts: (budget) => runtime.tenantPorts(budget),
  });
  let reconcileTimer: NodeJS.Timeout | undefined;
  return {
    settings,
    store,
    fetcher,
    logger,
    metrics,
    queue,
    scheduler,
    subscriptions,
    clock,
    pacer: runtime.pacer,
    startedAt: now(),
    addSender: (s) => senders.set(s.platform, s),
    async start() {
      await queue.resumeAll();
      await scheduler.start();
      await queue.start();
      // One reconcile loop for both runtimes: feeds that reached the store without
      // reschedule() (an import by another process, a restore) get on the schedule.
      // Jittered, so the processes of a cluster do not all reconcile at the same moment.
      const every = (settings.reconcileMs ?? reconcileEveryMs(settings.pollIntervalMs)) * (0.75 + Math.random() * 0.5);
      reconcileTimer = setInterval(() => void scheduler.reconcile().catch((err: unknown) => logger.warn({ err }, 'schedule not reconciled; the next round tries again')), every);
      reconcileTimer.unref();
    },
    async stop() {
      clearInterval(reconcileTimer);
      reconcileTimer = undefined;
      await scheduler.stop();
      await queue.stop();
    },
  };
}
