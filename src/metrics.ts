// Prometheus metrics. One registry per Herald instance so tests can run several.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FeedRecord } from './domain/records.js';

type FeedState = 'active' | 'failing' | 'paused';

/** paused: Herald stopped polling after FEED_MAX_FAILURES; failing: recent polls failed. */
function feedState(feed: FeedRecord): FeedState {
  if (feed.failingPaused) return 'paused';
  return feed.failures > 0 ? 'failing' : 'active';
}

export function createMetrics(defaults = true) {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'herald_' });
  // Counted at scrape time from the store's in-memory feed list, so no code path that
  // changes a feed has to remember to update the gauge.
  let feedSource: (() => FeedRecord[]) | undefined;
  let overdueSource: (() => Promise<number>) | undefined;
  let lastOverdue = 0;
  const m = {
    registry,
    /** Tells the herald_feeds gauge where the feeds are, once the store is open. */
    setFeedSource(source: () => FeedRecord[]) {
      feedSource = source;
    },
    /** Tells the herald_feeds_overdue gauge how to count: the runtime's scheduler status, cluster-wide. */
    setOverdueSource(source: () => Promise<number>) {
      overdueSource = source;
    },
    pollLag: new Histogram({
      name: 'herald_poll_lag_seconds',
      help: 'How late each poll started after the feed was due',
      buckets: [0.05, 0.25, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    }),
    overdue: new Gauge({
      name: 'herald_feeds_overdue',
      help: 'Feeds more than 1 s past their due time whose poll has not started',
      registers: [registry],
      async collect() {
        // A scrape must not fail because the count could not be had (a cluster's Redis away): keep the last one.
        if (overdueSource) this.set((lastOverdue = await overdueSource().catch(() => lastOverdue)));
      },
    }),
    feeds: new Gauge({
      name: 'herald_feeds',
      help: 'Feeds by state: active, failing (recent polls failed), paused (after too many failures)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.reset();
        if (!feedSource) return;
        const counts: Record<FeedState, number> = { active: 0, failing: 0, paused: 0 };
        for (const f of feedSource()) counts[feedState(f)]++;
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    }),
    polls: new Counter({ name: 'herald_polls_total', help: 'Feed polls by result', labelNames: ['result'], registers: [registry] }),
    fetchDuration: new Histogram({
      name: 'herald_fetch_duration_seconds',
      help: 'Feed fetch duration',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
      registers: [registry],
    }),
    delivered: new Counter({ name: 'herald_items_delivered_total', help: 'Messages accepted by a platform', labelNames: ['platform'], registers: [registry] }),
    deliveryLatency: new Histogram({
      name: 'herald_delivery_latency_seconds',
      help: 'From item seen by a poll to accepted by the platform',
      labelNames: ['platform'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    }),
    queueDepth: new Gauge({ name: 'herald_delivery_queue_depth', help: 'Pending deliveries', registers: [registry] }),
    rateLimited: new Counter({ name: 'herald_platform_rate_limited_total', help: 'HTTP 429 answers from platforms', labelNames: ['platform'], registers: [registry] }),
    subscriptionState: new Counter({
      name: 'herald_subscription_state_changes_total',
      help: 'Subscription state changes caused by platform errors',
      labelNames: ['platform', 'state'],
      registers: [registry],
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
