// The subscription registry: attaching a channel to a feed (probe, first sight of the feed,
// tenant caps under their guard, one attach per feed at a time) and removing it with the feed
// once nobody reads it. Rules every caller must get, so they live here once; the verbs people
// use (subscribe, unsubscribe, import, forget a channel) are in src/application.
import type { Store } from '../store/interfaces.js';
import type { FeedRecord, SubscriptionRecord } from '../domain/records.js';
import type { DeliveryQueue } from './deliver/queue.js';
import { UserError } from '../domain/errors.js';
import type { Fetcher } from './fetch/index.js';
import { deliveriesFor } from './ingest.js';
import { oldestFirst } from './identify/index.js';
import { normalizeFeedUrl, probeFeed, type ProbeResult } from './probe.js';
import { DEFAULT_TENANT_LIMITS, TenantLimits, type TenantLimitSettings } from './tenant/limits.js';
import type { BudgetSettings, TenantPorts } from './tenant/ports.js';
import type { ChannelRef } from '../domain/types.js';

export interface SubscribeRequest {
  channel: ChannelRef;
  url: string;
  userId: string;
  /** Post the newest n existing items now (0–10). */
  backfill?: number;
  /** The feed check was already taken from the workspace's budget (an import reserves its own). */
  prepaid?: boolean;
}

export interface SubscribeResult {
  subscription: SubscriptionRecord;
  feed: FeedRecord;
  probe: ProbeResult;
  alreadySubscribed: boolean;
}

export interface SubscriptionServiceDeps {
  store: Store;
  fetcher: Fetcher;
  queue: DeliveryQueue;
  pollIntervalMs: number;
  maxItemsPerPoll: number;
  now: () => number;
  nextCheck(from: number): number;
  tenantLimits?: TenantLimitSettings;
  /** Cluster: the budget and guard in Redis, so the limits hold across processes; in memory when absent. */
  tenantPorts?(budget: BudgetSettings): TenantPorts;
  /** Tells the scheduler about a new feed at once (it would find it on its next reconcile). */
  onFeedChanged?(feedId: string): void;
}

export class SubscriptionService {
  private readonly attaching = new Map<string, Promise<SubscribeResult>>();
  /** Cap checks and adds run one at a time per workspace (limits.guarded), so parallel subscribes cannot overshoot a cap. */
  readonly limits: TenantLimits;

  constructor(private readonly d: SubscriptionServiceDeps) {
    this.limits = new TenantLimits(d.tenantLimits ?? DEFAULT_TENANT_LIMITS, d.store, d.now, d.tenantPorts);
  }

  async subscribe(req: SubscribeRequest): Promise<SubscribeResult> {
    const backfill = req.backfill ?? 0;
    if (!Number.isInteger(backfill) || backfill < 0 || backfill > 10) throw new UserError('backfill must be a whole number from 0 to 10.');
    // Fail before fetching anything: a full channel or an empty check budget costs no request.
    const already = this.existing(req.channel, req.url);
    if (!already) this.limits.assertRoom(req.channel);
    if (!req.prepaid) await this.limits.takeCheck(req.channel);
    const probe = await probeFeed(this.d.fetcher, req.url);
    // One attach at a time per feed: two simultaneous /subscribe calls must not both add.
    const prev = this.attaching.get(probe.url) ?? Promise.resolve();
    // The guard spans processes in a cluster: another one's subscribe of the same feed here
    // is seen inside it, so a channel never gets a feed twice.
    const run = prev.catch(() => undefined).then(() => this.limits.guarded(req.channel, (assertRoom) => this.attach(req, probe, backfill, assertRoom)));
    this.attaching.set(probe.url, run);
    try {
      return await run;
    } finally {
      if (this.attaching.get(probe.url) === run) this.attaching.delete(probe.url);
    }
  }

  private async attach(req: SubscribeRequest, probe: ProbeResult, backfill: number, assertRoom: () => void): Promise<SubscribeResult> {
    const { store } = this.d;
    const known = store.feeds.getByUrl(probe.url);
    const existing = known && store.subscriptions.find(req.channel, known.id);
    if (known && existing) return { subscription: existing, feed: known, probe, alreadySubscribed: true };
    assertRoom(); // again: others may have subscribed while this one fetched

    const now = this.d.now();
    let feed = known ?? (await store.feeds.ensure(probe.url, now));
    if (!feed.initialized) {
      // First sight of this feed: what it lists now is history, not news.
      await store.seen.record(feed.id, [], probe.parsed.items.map((i) => i.id));
      feed = { ...feed, initialized: true, title: probe.parsed.title, nextCheckAt: this.d.nextCheck(now), lastCheckAt: now, lastSuccessAt: now };
      if (probe.parsed.link) feed.link = probe.parsed.link;
      if (probe.parsed.iconUrl) feed.iconUrl = probe.parsed.iconUrl;
      if (probe.etag) feed.etag = probe.etag;
      if (probe.lastModified) feed.lastModified = probe.lastModified;
      await store.feeds.update(feed);
      this.d.onFeedChanged?.(feed.id);
    }
    const subscription = await store.subscriptions.add({
      ...req.channel,
      feedId: feed.id,
      feedUrl: feed.url,
      createdBy: req.userId,
      createdAt: now,
      paused: false,
      state: 'active',
    });
    await this.limits.noteChange(req.channel, { subscriptionId: subscription.id, feedId: feed.id, added: true });
    if (backfill > 0) {
      const newest = oldestFirst(probe.parsed.items).slice(-backfill);
      await this.d.queue.enqueue(subscription, deliveriesFor(subscription, feed, probe.parsed, newest, { maxItemsPerPoll: 10, now: this.d.now }));
    }
    return { subscription, feed, probe, alreadySubscribed: false };
  }

  /** This channel's subscription to the feed at `url` as typed (no fetch), if any. */
  existing(channel: ChannelRef, url: string): SubscriptionRecord | undefined {
    let normalized: string;
    try {
      normalized = normalizeFeedUrl(url);
    } catch {
      return undefined;
    }
    return this.d.store.subscriptions.listByChannel(channel).find((s) => s.feedUrl === normalized || this.d.store.feeds.get(s.feedId)?.url === normalized);
  }

  /** Removes a subscription, its pending deliveries, and the feed once nobody reads it. */
  async remove(subscriptionId: string): Promise<void> {
    const { store } = this.d;
    const sub = store.subscriptions.get(subscriptionId);
    if (!sub) return;
    await store.subscriptions.remove(sub.id);
    await this.limits.noteChange(sub, { subscriptionId: sub.id, feedId: sub.feedId, added: false });
    if (!store.subscriptions.listByFeed(sub.feedId).length) {
      await store.feeds.remove(sub.feedId);
      await store.seen.remove(sub.feedId);
    }
  }
}
