// MessageSender for Discord: one REST POST per message (where it goes: targets.ts); platform
// errors become SendResults. A plain message carries a nonce from the delivery's send key,
// so Discord itself turns a repeated attempt into the first post (see messageNonce).
// discord.js queues per bucket and waits out 429s itself; the sender also reads the
// bucket headers and holds an exhausted channel in the runtime's Pacer, so the delivery
// queue parks it (readyAt) instead of leaving its request asleep inside discord.js while it
// holds one of the queue's slots. Every request of the bot takes a start under its 45/s
// (bot-rate.ts); readyAt parks a channel while that rate is spent for long.
import { DiscordAPIError, HTTPError, RateLimitError, type REST } from 'discord.js';
import { MemoryPacer, type Pacer } from '../../core/limits/pacer.js';
import { systemClock, type Clock } from '../../core/runtime/ports.js';
import type { MessageSender, SendableMessage, SendMeta, SendResult, SendTarget } from '../../domain/types.js';
import type { Logger } from '../../logger.js';
import { paceBotRequests } from './bot-rate.js';
import { PLAIN_TEXT, type ChannelLookup } from './channels.js';
import { bodyFor, followUps, identityOf, messageNonce, postAsBot, postAsFeed, type TargetDeps } from './targets.js';
import { WebhookPool } from './webhooks.js';

/** Discord JSON error codes that decide a subscription's fate. */
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
const UNKNOWN_CHANNEL = 10003;

export function classifyDiscordError(err: unknown): SendResult {
  if (err instanceof DiscordAPIError) {
    const code = Number(err.code);
    if (code === MISSING_ACCESS || code === MISSING_PERMISSIONS || err.status === 403) {
      return { ok: false, kind: 'blocked', reason: 'missing permission to post' };
    }
    // Only 10003 says the channel itself is gone. Any other 404 (a thread Herald lost access
    // to, a route hiccup) keeps the subscription, its filter and template: blocked, resumable.
    if (code === UNKNOWN_CHANNEL) return { ok: false, kind: 'gone', reason: 'unknown channel' };
    if (err.status === 404) return { ok: false, kind: 'blocked', reason: `Discord answered 404 (${err.message.slice(0, 100)})` };
    if (err.status === 429) return { ok: false, kind: 'retry', reason: 'rate limited', retryAfterMs: 1000 };
    if (err.status >= 500) return { ok: false, kind: 'retry', reason: `Discord answered ${err.status}` };
    // Other 4xx: the payload itself is wrong; retrying cannot help, but dropping loses an item.
    return { ok: false, kind: 'retry', reason: `Discord rejected the message: ${err.message}`, retryAfterMs: 60_000 };
  }
  if (err instanceof RateLimitError) return { ok: false, kind: 'retry', reason: 'rate limited', retryAfterMs: err.retryAfter };
  if (err instanceof HTTPError) return { ok: false, kind: 'retry', reason: `Discord answered ${err.status}` };
  return { ok: false, kind: 'retry', reason: `network error: ${(err as Error).message}` };
}

/** A channel's bucket key in the Pacer (per channel, as Discord's message buckets are). */
const bucketKey = (channelId: string) => `discord:channel:${channelId}`;

/** An exhausted bucket (x-ratelimit-remaining 0): no send to the channel before it refills. */
function bucketResetAt(headers: Headers, now: number, offsetMs: number): number | undefined {
  const after = Number(headers.get('x-ratelimit-reset-after'));
  return headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(after) ? now + after * 1000 + offsetMs : undefined;
}

export interface DiscordSenderExtras {
  /** Channel types from the gateway; without it every channel is taken as a text channel. */
  channels?: ChannelLookup;
  /** The application id, to recognise Herald's own webhooks after a restart. */
  appId?: () => string | undefined;
  logger?: Logger;
}

/**
 * `pacer` is the runtime's (core.pacer): in a cluster the bucket a process saw exhausted
 * parks the channel for every process, since its next turn may run in another.
 */
export function createDiscordSender(rest: REST, clock: Clock = systemClock, pacer: Pacer = new MemoryPacer(clock), extras: DiscordSenderExtras = {}): MessageSender {
  const offset = typeof rest.options.offset === 'number' ? rest.options.offset : 50;
  const now = () => clock.now();
  const channels = extras.channels ?? { facts: async () => PLAIN_TEXT };
  const bot = paceBotRequests(rest, pacer, clock);
  const deps: TargetDeps = { rest, webhooks: new WebhookPool(rest, extras.appId ?? (() => undefined), now), ...(extras.logger ? { logger: extras.logger } : {}) };
  return {
    platform: 'discord',
    // Both asked at once: in a cluster each is a Redis round trip, and this runs twice a turn.
    readyAt: async (target) => Math.max(...(await Promise.all([pacer.readyAt(bucketKey(target.channelId)), bot.readyAt()]))),
    async send(target: SendTarget, message: SendableMessage, meta?: SendMeta): Promise<SendResult> {
      try {
        const d = target.delivery ?? {};
        const facts = await channels.facts(target.channelId);
        const body = bodyFor(message, d);
        const who = identityOf(message, d);
        // One delivery is one message (part 0); the follow-ups create no messages.
        const nonce = meta ? messageNonce(meta.key, 0, target.channelId) : undefined;
        const posted = (who && (await postAsFeed(deps, target.channelId, facts, message, body, who))) || (await postAsBot(deps, target.channelId, facts, message, body, nonce));
        // The headers of the post itself: the delivery queue parks the channel on them.
        const resetAt = bucketResetAt(posted.headers, now(), offset);
        if (resetAt !== undefined) await pacer.hold(bucketKey(target.channelId), resetAt);
        await followUps(deps, target.channelId, facts, message, d, posted);
        return { ok: true };
      } catch (err) {
        return classifyDiscordError(err);
      }
    },
  };
}
