// What per-tenant limits need from their surroundings, so the same checks hold in one
// process (in memory, below) and across a cluster (src/cluster/redis-tenant.ts): a feed-check
// budget per workspace, and a per-workspace guard under which a cap check and the add that
// follows run alone. In a cluster the guard also lists the subscriptions other processes
// added or removed lately, because this process's cache may not have heard of them yet.
import { KeyedSerial } from '../../domain/keyed-serial.js';
import { TokenBuckets } from '../limits/budget.js';

export interface CheckBudget {
  /** Takes up to `n` checks from the workspace's budget; resolves with how many it got. */
  takeUpTo(key: string, n: number): Promise<number>;
  /** Gives back checks taken but not used. */
  giveBack(key: string, n: number): Promise<void>;
  /** Milliseconds until one check is there again. */
  msUntilToken(key: string): Promise<number>;
}

/** One subscription added or removed through SubscriptionService, by any process. */
export interface SubscriptionChange {
  subscriptionId: string;
  feedId: string;
  added: boolean;
}

export interface WorkspaceGuard {
  /**
   * Runs `fn` alone for this workspace (every process, in a cluster). `recent` lists the
   * changes record()ed lately and `version` counts them, so a cached count can tell it is stale.
   */
  run<T>(key: string, fn: (recent: SubscriptionChange[], version: number) => Promise<T>): Promise<T>;
  /** Notes a change; resolves with the workspace's new version. */
  record(key: string, change: SubscriptionChange): Promise<number>;
}

export interface TenantPorts {
  checks: CheckBudget;
  guard: WorkspaceGuard;
}

export interface BudgetSettings {
  capacity: number;
  perMinute: number;
}

/** A single process: its own buckets and lock are the whole truth; nothing to catch up on. */
export function memoryTenantPorts(budget: BudgetSettings, now: () => number = Date.now): TenantPorts {
  const buckets = new TokenBuckets(budget.capacity, budget.perMinute, now);
  const lock = new KeyedSerial();
  const versions = new Map<string, number>();
  return {
    checks: {
      takeUpTo: async (key, n) => buckets.takeUpTo(key, n),
      giveBack: async (key, n) => buckets.giveBack(key, n),
      msUntilToken: async (key) => buckets.msUntilToken(key),
    },
    guard: {
      run: (key, fn) => lock.run(key, () => fn([], versions.get(key) ?? 0)),
      async record(key) {
        const v = (versions.get(key) ?? 0) + 1;
        if (versions.size > 10_000) versions.clear();
        versions.set(key, v);
        return v;
      },
    },
  };
}
