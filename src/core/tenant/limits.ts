// Per-tenant limits: how many subscriptions a channel and a Discord server / Slack workspace
// may hold, and how many feed checks their commands may start a minute. Anyone who can add
// a public bot to their own server can type /subscribe; these keep one tenant from filling
// Herald's store or turning it into a fetcher of thousands of URLs a minute. The budget and
// the guard come from ports.ts: in memory for one process, in Redis for a cluster, so the
// limits hold for the whole Herald, not per process.
import type { Store } from '../../store/interfaces.js';
import { UserError } from '../../domain/errors.js';
import type { ChannelRef } from '../../domain/types.js';
import { memoryTenantPorts, type SubscriptionChange, type TenantPorts } from './ports.js';

export interface TenantLimitSettings {
  maxPerChannel: number;
  maxPerWorkspace: number;
  /** Feed checks (one per feed a /subscribe, /feeds preview or /feeds import fetches) per workspace per minute. */
  checksPerMinute: number;
}

export const DEFAULT_TENANT_LIMITS: TenantLimitSettings = { maxPerChannel: 50, maxPerWorkspace: 500, checksPerMinute: 60 };

const workspaceWord = (c: ChannelRef) => (c.platform === 'discord' ? 'server' : 'workspace');
const workspaceKey = (c: ChannelRef) => `${c.platform}:${c.workspaceId}`;

/**
 * The store has no index by workspace, and a scan of every subscription per /subscribe
 * adds up during an import. Counts are kept this long, and only while no process recorded a
 * change (the guard's version). Adds and removals through SubscriptionService are counted in
 * at once; others (a channel the platform deleted) show after at most this, meanwhile the
 * cap is stricter, never looser.
 */
const WORKSPACE_COUNT_TTL_MS = 5000;

type LimitStore = Pick<Store, 'subscriptions' | 'feeds'>;

export class TenantLimits {
  private readonly ports: TenantPorts;
  private readonly workspaceCounts = new Map<string, { count: number; at: number; version: number }>();

  constructor(
    readonly settings: TenantLimitSettings,
    private readonly store: LimitStore,
    private readonly now: () => number = Date.now,
    ports?: (budget: { capacity: number; perMinute: number }) => TenantPorts,
  ) {
    const budget = { capacity: settings.checksPerMinute, perMinute: settings.checksPerMinute };
    this.ports = ports ? ports(budget) : memoryTenantPorts(budget, now);
  }

  private workspaceCount(channel: ChannelRef, version?: number): number {
    const key = workspaceKey(channel);
    const cached = this.workspaceCounts.get(key);
    if (cached && this.now() - cached.at < WORKSPACE_COUNT_TTL_MS && (version === undefined || cached.version === version)) return cached.count;
    let count = 0;
    for (const s of this.store.subscriptions.list()) if (s.platform === channel.platform && s.workspaceId === channel.workspaceId) count++;
    if (this.workspaceCounts.size > 10_000) this.workspaceCounts.clear();
    this.workspaceCounts.set(key, { count, at: this.now(), version: version ?? cached?.version ?? -1 });
    return count;
  }

  /**
   * Runs `fn` alone for the channel's workspace (across the cluster). First the cache catches
   * up with the subscriptions other processes added or removed lately, whose notices may
   * still be on their way, so the caps and the duplicate check inside `fn` see them.
   */
  guarded<T>(channel: ChannelRef, fn: (assertRoom: () => void) => Promise<T>): Promise<T> {
    return this.ports.guard.run(workspaceKey(channel), async (recent, version) => {
      const { subscriptions, feeds } = this.store;
      for (const c of recent) {
        if (c.added && !feeds.get(c.feedId)) await feeds.changedElsewhere(c.feedId);
        if (c.added !== (subscriptions.get(c.subscriptionId) !== undefined)) await subscriptions.changedElsewhere(c.subscriptionId);
      }
      return fn(() => this.assertCounts(channel, this.counts(channel, version)));
    });
  }

  /** A subscription was added (under guarded()) or removed through SubscriptionService. */
  async noteChange(channel: ChannelRef, change: SubscriptionChange): Promise<void> {
    let version: number;
    try {
      version = await this.ports.guard.record(workspaceKey(channel), change);
    } catch {
      // The change itself is stored; other processes learn it from the change bus instead.
      this.workspaceCounts.delete(workspaceKey(channel));
      return;
    }
    const cached = this.workspaceCounts.get(workspaceKey(channel));
    if (!cached) return;
    // Only our own change since the count: adjust it. Another one in between: count again.
    if (cached.version === version - 1) {
      cached.count = Math.max(0, cached.count + (change.added ? 1 : -1));
      cached.version = version;
    } else this.workspaceCounts.delete(workspaceKey(channel));
  }

  private counts(channel: ChannelRef, version?: number): { here: number; workspace: number } {
    return { here: this.store.subscriptions.listByChannel(channel).length, workspace: this.workspaceCount(channel, version) };
  }

  /** How many more subscriptions this channel may take (0 when a cap is reached); a first estimate, rechecked under guarded(). */
  room(channel: ChannelRef): number {
    const { here, workspace } = this.counts(channel);
    return Math.max(0, Math.min(this.settings.maxPerChannel - here, this.settings.maxPerWorkspace - workspace));
  }

  /** Throws the reply for a full channel or workspace (before a fetch; guarded() checks again). */
  assertRoom(channel: ChannelRef): void {
    this.assertCounts(channel, this.counts(channel));
  }

  private assertCounts(channel: ChannelRef, { here, workspace }: { here: number; workspace: number }): void {
    const { maxPerChannel, maxPerWorkspace } = this.settings;
    if (here >= maxPerChannel) {
      throw new UserError(`This channel already has ${here} subscriptions, the most this Herald allows in one channel (${maxPerChannel}). Unsubscribe from one first, or use another channel.`);
    }
    if (workspace >= maxPerWorkspace) {
      throw new UserError(`This ${workspaceWord(channel)} already has ${workspace} subscriptions, the most this Herald allows in one ${workspaceWord(channel)} (${maxPerWorkspace}). Unsubscribe from some first.`);
    }
  }

  /** Takes up to n feed checks from the workspace's budget; resolves with how many it may run. */
  reserveChecks(channel: ChannelRef, n: number): Promise<number> {
    return this.ports.checks.takeUpTo(workspaceKey(channel), n);
  }

  async releaseChecks(channel: ChannelRef, n: number): Promise<void> {
    if (n > 0) await this.ports.checks.giveBack(workspaceKey(channel), n);
  }

  /** One feed check, or the reply that says when to try again. */
  async takeCheck(channel: ChannelRef): Promise<void> {
    if ((await this.reserveChecks(channel, 1)) === 1) return;
    throw new UserError(await this.rateMessage(channel));
  }

  async rateMessage(channel: ChannelRef): Promise<string> {
    const seconds = Math.max(1, Math.ceil((await this.ports.checks.msUntilToken(workspaceKey(channel))) / 1000));
    return `This ${workspaceWord(channel)} has used up its feed checks for now (Herald checks at most ${this.settings.checksPerMinute} feeds a minute for one ${workspaceWord(channel)}). Try again in ${seconds} s.`;
  }
}
