// MessageSender for Discord: one REST POST per message; platform errors become SendResults.
import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import type { ChannelRef, MessageSender, OutgoingMessage, SendResult } from '../../core/types.js';
import { toDiscordMessage } from './render.js';

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
    if (code === UNKNOWN_CHANNEL || err.status === 404) return { ok: false, kind: 'gone', reason: 'unknown channel' };
    if (err.status === 429) return { ok: false, kind: 'retry', reason: 'rate limited', retryAfterMs: 1000 };
    if (err.status >= 500) return { ok: false, kind: 'retry', reason: `Discord answered ${err.status}` };
    // Other 4xx: the payload itself is wrong; retrying cannot help, but dropping loses an item.
    return { ok: false, kind: 'retry', reason: `Discord rejected the message: ${err.message}`, retryAfterMs: 60_000 };
  }
  if (err instanceof RateLimitError) return { ok: false, kind: 'retry', reason: 'rate limited', retryAfterMs: err.retryAfter };
  if (err instanceof HTTPError) return { ok: false, kind: 'retry', reason: `Discord answered ${err.status}` };
  return { ok: false, kind: 'retry', reason: `network error: ${(err as Error).message}` };
}

export function createDiscordSender(rest: REST): MessageSender {
  return {
    platform: 'discord',
    async send(target: ChannelRef, message: OutgoingMessage): Promise<SendResult> {
      try {
        await rest.post(Routes.channelMessages(target.channelId), { body: toDiscordMessage(message) });
        return { ok: true };
      } catch (err) {
        return classifyDiscordError(err);
      }
    },
  };
}
