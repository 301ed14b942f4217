// The single-process runtime: a due heap for polls, the channel scheduler for deliveries,
// limits and pacing in memory. Its cluster twin is src/cluster/cluster-runtime.ts.
import { HostLimiter } from '../limits/host-slots.js';
import { MemoryPacer } from '../limits/pacer.js';
import { Poller } from '../poller.js';
import { memoryTenantPorts } from '../tenant/ports.js';
import { localDispatcher } from './local-dispatcher.js';
import { systemClock, type Clock, type Runtime } from './ports.js';

export interface LocalRuntimeOptions {
  pollIntervalMs: number;
  /** FETCH_CONCURRENCY: polls under way at once. */
  pollConcurrency: number;
  /** FETCH_PER_HOST; unbounded when absent (tests, tools). */
  perHost?: number;
  clock?: Clock;
  random?: () => number;
}

export function localRuntime(o: LocalRuntimeOptions): Runtime {
  const clock = o.clock ?? systemClock;
  const hosts = new HostLimiter(o.perHost ?? Number.POSITIVE_INFINITY);
  return {
    kind: 'local',
    shared: false,
    clock,
    pacer: new MemoryPacer(clock),
    hosts,
    scheduler: (work) =>
      new Poller({ work, clock, hosts, pollIntervalMs: o.pollIntervalMs, concurrency: o.pollConcurrency, ...(o.random ? { random: o.random } : {}) }),
    dispatcher: (work) => localDispatcher(work, clock),
    tenantPorts: (budget) => memoryTenantPorts(budget, () => clock.now()),
    check: () => ({ ready: true }),
    stopWorkers: async () => undefined,
    close: async () => undefined,
  };
}
