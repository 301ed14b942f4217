// Per-tenant limits: how many subscriptions a channel and a Discord server / Slack workspace
// may hold, and how many feed checks their commands may start a minute. Anyone who can add
// a public bot to their own server can type /subscribe; these keep one tenant from filling
// Herald's store or turning it into a fetcher of thousands of URLs a minute.
import type { Store } from '../../store/index.js';
import { UserError } from '../errors.js';
import type { ChannelRef } from '../types.js';
import { TokenBuckets } from './token-bucket.js';

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
 * adds up during an import. Counts are kept this long. Adds and removals through
 * SubscriptionService are counted in at once; others (a channel the platform deleted) show
 * after at most this, meanwhile the cap is stricter, never looser.
 */
const WORKSPACE_COUNT_TTL_MS = 5000;

export class TenantLimits {
  private readonly checks: TokenBuckets;
  private readonly workspaceCounts = new Map<string, { count: number; at: number }>();

  constructor(
    readonly settings: TenantLimitSettings,
    private readonly store: Pick<Store, 'subscriptions'>,
    private readonly now: () => number = Date.now,
  ) {
    this.checks = new TokenBuckets(settings.checksPerMinute, settings.checksPerMinute, now);
  }

  private workspaceCount(channel: ChannelRef): number {
    const key = workspaceKey(channel);
    const cached = this.workspaceCounts.get(key);
    if (cached && this.now() - cached.at < WORKSPACE_COUNT_TTL_MS) return cached.count;
    let count = 0;
    for (const s of this.store.subscriptions.list()) if (s.platform === channel.platform && s.workspaceId === channel.workspaceId) count++;
    if (this.workspaceCounts.size > 10_000) this.workspaceCounts.clear();
    this.workspaceCounts.set(key, { count, at: this.now() });
    return count;
  }

  /** A subscription was just added in this channel (called under the workspace's lock). */
  noteAdded(channel: ChannelRef): void {
    const cached = this.workspaceCounts.get(workspaceKey(channel));
    if (cached) cached.count++;
  }

  noteRemoved(channel: ChannelRef): void {
    const cached = this.workspaceCounts.get(workspaceKey(channel));
    if (cached && cached.count > 0) cached.count--;
  }

  private counts(channel: ChannelRef): { here: number; workspace: number } {
    return { here: this.store.subscriptions.listByChannel(channel).length, workspace: this.workspaceCount(channel) };
  }

  /** How many more subscriptions this channel may take (0 when a cap is reached). */
  room(channel: ChannelRef): number {
    const { here, workspace } = this.counts(channel);
    return Math.max(0, Math.min(this.settings.maxPerChannel - here, this.settings.maxPerWorkspace - workspace));
  }

  /** Throws the reply for a full channel or workspace. */
  assertRoom(channel: ChannelRef): void {
    const { here, workspace } = this.counts(channel);
    const { maxPerChannel, maxPerWorkspace } = this.settings;
    if (here >= maxPerChannel) {
      throw new UserError(`This channel already has ${here} subscriptions, the most this Herald allows in one channel (${maxPerChannel}). Unsubscribe from one first, or use another channel.`);
    }
    if (workspace >= maxPerWorkspace) {
      throw new UserError(`This ${workspaceWord(channel)} already has ${workspace} subscriptions, the most this Herald allows in one ${workspaceWord(channel)} (${maxPerWorkspace}). Unsubscribe from some first.`);
    }
  }

  /** Takes up to n feed checks from the workspace's budget; returns how many it may run. */
  reserveChecks(channel: ChannelRef, n: number): number {
    return this.checks.takeUpTo(workspaceKey(channel), n);
  }

  releaseChecks(channel: ChannelRef, n: number): void {
    if (n > 0) this.checks.giveBack(workspaceKey(channel), n);
  }

  /** One feed check, or the reply that says when to try again. */
  takeCheck(channel: ChannelRef): void {
    if (this.reserveChecks(channel, 1) === 1) return;
    throw new UserError(this.rateMessage(channel));
  }

  rateMessage(channel: ChannelRef): string {
    const seconds = Math.max(1, Math.ceil(this.checks.msUntilToken(workspaceKey(channel)) / 1000));
    return `This ${workspaceWord(channel)} has used up its feed checks for now (Herald checks at most ${this.settings.checksPerMinute} feeds a minute for one ${workspaceWord(channel)}). Try again in ${seconds} s.`;
  }
}
