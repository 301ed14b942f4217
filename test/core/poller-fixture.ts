// A Poller over pollFeed, as createCore builds it, for tests that drive the schedule directly.
import type { DeliveryQueue } from '../../src/core/deliver/queue.js';
import type { Fetcher } from '../../src/core/fetch/index.js';
import { pollFeed } from '../../src/core/poll-feed.js';
import { HostLimiter } from '../../src/core/limits/host-slots.js';
import { Poller } from '../../src/core/poller.js';
import type { Logger } from '../../src/logger.js';
import type { Metrics } from '../../src/metrics.js';
import type { Store } from '../../src/store/index.js';

export interface PollerFixture {
  store: Store;
  fetcher: Fetcher;
  queue: DeliveryQueue;
  logger: Logger;
  metrics: Metrics;
  pollIntervalMs: number;
  maxFailures: number;
  maxItemsPerPoll: number;
  concurrency: number;
  perHost?: number;
  now?: () => number;
  random?: () => number;
}

export function localPoller(o: PollerFixture): Poller {
  const clock = { now: o.now ?? (() => Date.now()) };
  const deps = { ...o, clock };
  const poller = new Poller({
    work: {
      feeds: o.store.feeds,
      poll: (feedId) => pollFeed(feedId, deps),
      onStart: (_id, dueAt) => o.metrics.pollLag.observe(Math.max(0, clock.now() - dueAt) / 1000),
      onError: (feedId, err) => o.logger.error({ err, feedId }, 'poll crashed'),
    },
    clock,
    pollIntervalMs: o.pollIntervalMs,
    concurrency: o.concurrency,
    ...(o.perHost ? { hosts: new HostLimiter(o.perHost) } : {}),
    ...(o.random ? { random: o.random } : {}),
  });
  o.metrics.setOverdueSource(async () => (await poller.status()).overdue);
  return poller;
}
