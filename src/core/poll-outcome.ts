// What a poll's result does to the feed record: validators, schedule, failures.
import type { Logger } from '../logger.js';
import type { Store } from '../store/interfaces.js';
import type { Delivery, FeedRecord } from '../domain/records.js';
import type { DeliveryQueue } from './deliver/queue.js';
import type { FetchError, FetchResult } from './fetch/index.js';
import { allowPrivateHint } from './fetch/private-hint.js';
import type { ParsedFeed } from '../domain/types.js';
import type { Clock } from './runtime/ports.js';
import { nextDue } from './schedule/next-check.js';

export interface OutcomeContext {
  store: Store;
  queue: DeliveryQueue;
  logger: Logger;
  pollIntervalMs: number;
  maxFailures: number;
  clock: Clock;
}

const DAY = 86_400_000;
/** Polls in a row that must see the same permanent redirect before the stored URL moves. */
export const REDIRECT_CONFIRMATIONS = 3;
/**
 * How far a feed's or server's wish for slower polling is trusted: up to this many times
 * POLL_INTERVAL. The hints are mostly generators' defaults, not the publisher's intent:
 * WordPress says `sy:updatePeriod` hourly on every blog, many CDNs send max-age=3600 for
 * everything, and RSS `<ttl>60` is a common template value. Taken at their word they would
 * turn POLL_INTERVAL=10m into 1 h without telling anyone. So a hint may at most double the
 * interval (10m → 20m), which still halves the load on a publisher that asks, and a
 * conditional GET costs the publisher next to nothing anyway.
 */
export const HINT_STRETCH_MAX = 2;

/**
 * Interval after a successful poll: POLL_INTERVAL, lengthened by the hints (Cache-Control
 * max-age / Expires, `<ttl>`, `sy:updatePeriod`) up to HINT_STRETCH_MAX × POLL_INTERVAL, and
 * never past a day unless POLL_INTERVAL itself is longer. Hints never shorten it.
 */
export function effectiveInterval(base: number, ...hints: (number | undefined)[]): number {
  const hint = Math.max(0, ...hints.filter((h): h is number => typeof h === 'number' && Number.isFinite(h)));
  return Math.min(Math.max(base, hint), Math.max(base, Math.min(base * HINT_STRETCH_MAX, DAY)));
}

/** Retry-After (429/503) is an explicit request, not a default: honoured up to a day. */
export function retryInterval(base: number, retryAfterMs: number | undefined): number {
  return Math.min(Math.max(base, retryAfterMs ?? 0), Math.max(base, DAY));
}

/** Wait after the n-th failure in a row: POLL_INTERVAL, doubling each time, capped at a day. */
export function backoffInterval(base: number, failures: number): number {
  // Never below the normal interval, even when POLL_INTERVAL itself is longer than a day.
  return Math.min(base * 2 ** Math.max(0, failures - 1), Math.max(base, DAY));
}

/**
 * Tracks a permanent redirect across polls. One 301 can be a mistake or a captive portal;
 * only the same target seen REDIRECT_CONFIRMATIONS polls in a row moves the feed. Returns
 * the URL to adopt once confirmed.
 */
function trackRedirect(next: FeedRecord, target: string | undefined): string | undefined {
  if (!target || target === next.url) {
    delete next.pendingRedirect;
    return undefined;
  }
  const count = next.pendingRedirect?.url === target ? next.pendingRedirect.count + 1 : 1;
  if (count < REDIRECT_CONFIRMATIONS) {
    next.pendingRedirect = { url: target, count };
    return undefined;
  }
  delete next.pendingRedirect;
  return target;
}

/** Moves the feed to its new URL: the store re-indexes by URL; subscriptions keep a copy. */
async function adoptUrl(next: FeedRecord, url: string, ctx: OutcomeContext): Promise<void> {
  const owner = ctx.store.feeds.getByUrl(url);
  if (owner && owner.id !== next.id) {
    // Another feed already lives there; merging two feeds' seen items is not worth the risk.
    ctx.logger.warn({ feed: next.url, target: url }, 'permanent redirect to a URL another feed already uses; keeping the old URL');
    return;
  }
  ctx.logger.info({ from: next.url, to: url }, 'feed moved permanently; updating its URL');
  next.url = url;
  for (const sub of ctx.store.subscriptions.listByFeed(next.id)) if (sub.feedUrl !== url) await ctx.store.subscriptions.update({ ...sub, feedUrl: url });
}

/** Fields a poll that changed nothing may still move: written with the cheap touch(). */
const TIMES = new Set<string>(['nextCheckAt', 'lastCheckAt', 'lastSuccessAt']);

/** True when `next` differs from `feed` only in its check times. */
function onlyTimesChanged(feed: FeedRecord, next: FeedRecord): boolean {
  const a = feed as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (TIMES.has(k) || a[k] === b[k]) continue;
    if (typeof a[k] !== 'object' || typeof b[k] !== 'object' || JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
  }
  return true;
}

export async function recordSuccess(feed: FeedRecord, res: FetchResult, parsed: ParsedFeed | undefined, started: number, ctx: OutcomeContext) {
  const next: FeedRecord = { ...feed, failures: 0, lastCheckAt: started, lastSuccessAt: started, initialized: true };
  delete next.lastError;
  delete next.failingPaused;
  if (res.status === 'ok') {
    // Empty validators are worse than none: some servers answer every conditional GET with 304.
    if (res.etag?.trim()) next.etag = res.etag;
    else delete next.etag;
    if (res.lastModified?.trim()) next.lastModified = res.lastModified;
    else delete next.lastModified;
    next.bodyHash = res.bodyHash;
  }
  if (parsed) {
    next.title = parsed.title;
    if (parsed.link) next.link = parsed.link;
    if (parsed.iconUrl) next.iconUrl = parsed.iconUrl;
  }
  const moveTo = trackRedirect(next, res.permanentRedirect);
  if (moveTo) await adoptUrl(next, moveTo, ctx);
  const interval = effectiveInterval(ctx.pollIntervalMs, res.minIntervalMs, parsed?.ttlMs);
  next.nextCheckAt = nextDue(feed.nextCheckAt, started, interval);
  // The common poll (304, or the same bytes again) changes nothing but times: no record write,
  // just touch(), which the store may batch.
  if (onlyTimesChanged(feed, next)) {
    ctx.store.feeds.touch(feed.id, { nextCheckAt: next.nextCheckAt, lastCheckAt: started, lastSuccessAt: started });
    return next;
  }
  await ctx.store.feeds.update(next);
  if (feed.failingPaused) for (const s of ctx.store.subscriptions.listByFeed(feed.id)) if (s.failureNoticeSent) await ctx.store.subscriptions.update({ ...s, failureNoticeSent: false });
  return next;
}

export async function recordFailure(feed: FeedRecord, err: FetchError, started: number, ctx: OutcomeContext) {
  const failures = feed.failures + 1;
  const backoff = backoffInterval(ctx.pollIntervalMs, failures);
  // Retry-After (429/503) can only lengthen the wait, up to a day.
  const retryAfter = err.extra.retryAfterMs;
  const next: FeedRecord = {
    ...feed,
    failures,
    lastCheckAt: started,
    lastError: { kind: err.kind, message: err.message, at: started },
    nextCheckAt: started + retryInterval(backoff, retryAfter),
  };
  // The log is the operator's: a refused private address comes with the setting that allows it.
  const hint = err.kind === 'blocked-address' ? { hint: allowPrivateHint(err.message) } : {};
  ctx.logger.info({ feed: feed.url, failures, kind: err.kind, error: err.message, ...hint }, 'feed poll failed');
  if (failures >= ctx.maxFailures && !feed.failingPaused) {
    next.failingPaused = true;
    await ctx.store.feeds.update(next);
    await notifyPaused(next, ctx);
    return next;
  }
  await ctx.store.feeds.update(next);
  return next;
}

/** Tells each subscribed channel once, in plain words, why the feed stopped. */
export async function notifyPaused(feed: FeedRecord, ctx: OutcomeContext) {
  const now = ctx.clock.now();
  for (const sub of ctx.store.subscriptions.listByFeed(feed.id)) {
    if (sub.failureNoticeSent) continue;
    const text = `Herald paused ${feed.title ?? feed.url} after ${feed.failures} failed checks in a row (last error: ${feed.lastError?.message ?? 'unknown'}). Fix the feed, then run /feeds resume feed:${sub.id}.`;
    const d: Delivery = { id: `${sub.id}:paused:${now}`, subscriptionId: sub.id, feedId: feed.id, seenAt: now, attempts: 0, message: { kind: 'notice', text } };
    await ctx.queue.enqueue(sub, [d]);
    await ctx.store.subscriptions.update({ ...sub, failureNoticeSent: true });
  }
}
