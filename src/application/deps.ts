// What the use cases need from the rest of Herald, as small ports. The composition root
// passes the core (it satisfies AppDeps); tests pass fakes. Nothing here knows a platform
// or a runtime: the scheduler port is the in-process poller or the cluster's job queue.
import type { Fetcher } from '../core/fetch/index.js';
import type { DeliveryQueue } from '../core/deliver/queue.js';
import type { SubscriptionService } from '../core/subscriptions.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/interfaces.js';

/** The one clock use cases read; never Date.now(), so tests can move time. */
export interface Clock {
  now(): number;
}

export interface SchedulerPort {
  /** The feed's next check changed (added, restarted): schedule it now rather than at the next reconcile. */
  reschedule(feedId: string): void;
  /** Feeds past due whose poll has not started, and when the last poll started; maxLagMs when the runtime knows it. */
  status(): Promise<{ overdue: number; lastPollAt?: number; maxLagMs?: number }>;
}

export interface AppDeps {
  store: Store;
  fetcher: Fetcher;
  queue: Pick<DeliveryQueue, 'enqueue' | 'kick' | 'clearChannel' | 'pending'>;
  /** The core's subscription registry: attach under the tenant caps, removal with its feed. */
  subscriptions: SubscriptionService;
  scheduler: SchedulerPort;
  clock: Clock;
  logger: Logger;
  metrics: Pick<Metrics, 'subscriptionState'>;
  /** When this process started, for the uptime in /feeds status. */
  startedAt: number;
}
