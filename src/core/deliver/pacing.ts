// Timing rule of the queue: when to retry a failed send. (When a channel may send next is
// the sender's readyAt(), a required part of MessageSender.)
import type { SendResult } from '../../domain/types.js';

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
