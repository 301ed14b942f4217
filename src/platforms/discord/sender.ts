// MessageSender for Discord: one REST POST per message (where it goes: targets.ts); platform
// errors become SendResults. A plain message carries a nonce from the delivery's send key,
// so Discord itself turns a repeated attempt into the first post (see messageNonce).
// discord.js queues per bucket and waits out 429s itself; the sender also reads the
// bucket headers so the delivery queue parks an exhausted channel on a timer instead of
// leaving its request asleep inside discord.js while it holds one of the queue's slots.
import { DiscordAPIError, HTTPError, RateLimitError, type REST } from 'discord.js';
import type { PacingHint } from '../../core/deliver/pacing.js';
import type { MessageSender, SendableMessage, SendMeta, SendResult, SendTarget } from '../../domain/types.js';
import type { Logger } from '../../logger.js';
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

/** Channel id → epoch ms its exhausted bucket refills. Only exhausted buckets are kept. */
class BucketResets {
  private readonly resets = new Map<string, number>();

  constructor(
    private readonly offsetMs: number,
    private readonly now: () => number,
  ) {}

  note(channelId: string, headers: Headers): void {
    const remaining = headers.get('x-ratelimit-remaining');
    const after = Number(headers.get('x-ratelimit-reset-after'));
    if (remaining === '0' && Number.isFinite(after)) this.resets.set(channelId, this.now() + after * 1000 + this.offsetMs);
    else this.resets.delete(channelId);
    if (this.resets.size > 1000) this.sweep();
  }

  readyAt(channelId: string): number {
    return this.resets.get(channelId) ?? 0;
  }

  private sweep() {
    const now = this.now();
    for (const [id, at] of this.resets) if (at <= now) this.resets.delete(id);
  }
}

export interface DiscordSenderExtras {
  /** Channel types from the gateway; without it every channel is taken as a text channel. */
  channels?: ChannelLookup;
  /** The application id, to recognise Herald's own webhooks after a restart. */
  appId?: () => string | undefined;
  logger?: Logger;
}

export function createDiscordSender(rest: REST, now: () => number = Date.now, extras: DiscordSenderExtras = {}): MessageSender & PacingHint {
  const offset = typeof rest.options.offset === 'number' ? rest.options.offset : 50;
  const buckets = new BucketResets(offset, now);
  const channels = extras.channels ?? { facts: async () => PLAIN_TEXT };
  const deps: TargetDeps = { rest, webhooks: new WebhookPool(rest, extras.appId ?? (() => undefined), now), ...(extras.logger ? { logger: extras.logger } : {}) };
  return {
    platform: 'discord',
    readyAt: (target) => buckets.readyAt(target.channelId),
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
        buckets.note(target.channelId, posted.headers);
        await followUps(deps, target.channelId, facts, message, d, posted);
        return { ok: true };
      } catch (err) {
        return classifyDiscordError(err);
      }
    },
  };
}
