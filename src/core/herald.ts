// The core, assembled: store + fetcher + queue + poller + use cases. No platform code.
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/interfaces.js';
import { DeliveryQueue } from './deliver/queue.js';
import type { Fetcher } from './fetch/index.js';
import { Poller } from './poller.js';
import { SubscriptionService } from './subscriptions.js';
import type { TenantLimitSettings } from './tenant/limits.js';
import type { BudgetSettings, TenantPorts } from './tenant/ports.js';
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
}

export interface HeraldCore {
  settings: CoreSettings;
  store: Store;
  fetcher: Fetcher;
  queue: DeliveryQueue;
  poller: Poller;
  subscriptions: SubscriptionService;
  /** The one clock every use case reads (tests inject theirs through createCore's `now`). */
  clock: { now(): number };
  /** What use cases may ask of polling, whichever runtime schedules it. */
  scheduler: {
    reschedule(feedId: string): void;
    status(): Promise<{ overdue: number; lastPollAt?: number; maxLagMs?: number }>;
  };
  logger: Logger;
  metrics: Metrics;
  startedAt: number;
  /** Adapters register their sender before start(). */
  addSender(sender: MessageSender): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A cluster (issue 14) takes over scheduling: polls and drains run as BullMQ jobs
 * (src/cluster), so the in-process poller stays stopped and its reschedule(), like every
 * delivery kick, is routed to the cluster's queues. Sends go through the shared pacer.
 */
export interface ClusterHooks {
  kick(channelKey: string): void;
  reschedule(feedId: string): void;
  wrapSender(sender: MessageSender): MessageSender;
  /** Per-tenant limits kept in Redis, so caps and the feed-check budget hold cluster-wide. */
  tenantPorts?(budget: BudgetSettings): TenantPorts;
}

export function createCore(deps: { store: Store; fetcher: Fetcher; logger: Logger; metrics: Metrics; settings: CoreSettings; now?: () => number; cluster?: ClusterHooks }): HeraldCore {
  const now = deps.now ?? Date.now;
  const senders = new Map<Platform, MessageSender>();
  const cluster = deps.cluster;
  const queue = new DeliveryQueue({ store: deps.store, senders, logger: deps.logger, metrics: deps.metrics, maxAgeMs: deps.settings.deliveryMaxAgeMs, now, ...(cluster ? { onKick: (key: string) => cluster.kick(key) } : {}) });
  const poller = new Poller({
    store: deps.store,
    fetcher: deps.fetcher,
    queue,
    logger: deps.logger,
    metrics: deps.metrics,
    pollIntervalMs: deps.settings.pollIntervalMs,
    maxFailures: deps.settings.maxFailures,
    maxItemsPerPoll: deps.settings.maxItemsPerPoll,
    concurrency: deps.settings.fetchConcurrency,
    ...(deps.settings.fetchPerHost ? { perHost: deps.settings.fetchPerHost } : {}),
    now,
  });
  // Every caller (subscribe, /feeds resume) asks the poller; in a cluster the job queue answers.
  if (cluster) poller.reschedule = (feedId) => cluster.reschedule(feedId);
  const subscriptions = new SubscriptionService({
    store: deps.store,
    fetcher: deps.fetcher,
    queue,
    pollIntervalMs: deps.settings.pollIntervalMs,
    maxItemsPerPoll: deps.settings.maxItemsPerPoll,
    now,
    nextCheck: (from) => poller.nextCheck(from),
    ...(deps.settings.tenantLimits ? { tenantLimits: deps.settings.tenantLimits } : {}),
    onFeedChanged: (feedId) => poller.reschedule(feedId),
    ...(cluster?.tenantPorts ? { tenantPorts: (budget: BudgetSettings) => cluster.tenantPorts!(budget) } : {}),
  });
  return {
    ...deps,
    queue,
    poller,
    subscriptions,
    clock: { now },
    scheduler: {
      reschedule: (feedId) => poller.reschedule(feedId),
      // What /feeds status read from the poller until now (the runtime work replaces it).
      status: async () => {
        const late = poller.overdue();
        return { overdue: late.count, maxLagMs: late.count ? late.maxLagMs : 0, ...(poller.lastCycleAt !== undefined ? { lastPollAt: poller.lastCycleAt } : {}) };
      },
    },
    startedAt: now(),
    addSender: (s) => senders.set(s.platform, cluster ? cluster.wrapSender(s) : s),
    async start() {
      await queue.resumeAll();
      if (!cluster) await poller.start();
    },
    async stop() {
      await poller.stop();
      await queue.stop();
    },
  };
}
