// Timing rules of the queue: when to retry a failed send, and when a channel may send next.
import type { ChannelRef, MessageSender, SendResult } from '../../domain/types.js';

/**
 * Optional sender capability. A sender that knows a channel's rate limit (Discord's
 * bucket headers, Slack's ~1 message/s/channel) tells the queue when the next message
 * could go out without waiting. The queue then parks the channel on a timer instead of
 * letting the send sleep inside the platform client while holding one of the few slots.
 */
export interface PacingHint {
  /** Epoch ms when `target` accepts its next message; anything ≤ now means "now". */
  readyAt(target: ChannelRef): number;
}

export function readyAtOf(sender: MessageSender, target: ChannelRef): number {
  const hint = (sender as Partial<PacingHint>).readyAt;
  return typeof hint === 'function' ? hint.call(sender, target) : 0;
}

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1000, maxMs: 5 * 60_000, random: Math.random };

/**
 * Delay before the next attempt. The platform's own Retry-After wins; otherwise
 * exponential backoff (base, 2×base, 4×base … capped) with up to 20% jitter so
 * channels that failed together (an outage) do not all come back in the same instant.
 */
export function retryDelayMs(result: Extract<SendResult, { kind: 'retry' }>, attempts: number, b: BackoffSettings = DEFAULT_BACKOFF): number {
  if (result.retryAfterMs !== undefined && result.retryAfterMs >= 0) return result.retryAfterMs;
  const exp = Math.min(b.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 20), b.maxMs);
  return Math.round(exp * (1 + 0.2 * b.random()));
}
