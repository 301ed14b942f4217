// Discord-style rate limits for the fake: a per-channel bucket on POST /channels/{id}/messages
// (X-RateLimit-* headers, 429 with retry_after when exhausted) and a global requests-per-second
// limit (429 with X-RateLimit-Global). Windows are fixed and start with their first request,
// as Discord's buckets do; limited requests do not count.

export interface RateLimitSettings {
  /** Messages per channel per window (Discord: 5 per 5 s). */
  perChannel: number;
  perChannelWindowMs: number;
  /** Requests per second across the bot (Discord: 50). */
  globalPerSecond: number;
}

export const DISCORD_LIMITS: RateLimitSettings = { perChannel: 5, perChannelWindowMs: 5000, globalPerSecond: 50 };

interface Window {
  start: number;
  count: number;
}

export type Verdict =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; status: 429; body: Record<string, unknown>; headers: Record<string, string> };

const BUCKET = 'fake-channel-messages-bucket';

export class FakeRateLimiter {
  private readonly channels = new Map<string, Window>();
  private global: Window = { start: 0, count: 0 };
  /** 429s answered, by cause. */
  readonly stats = { global: 0, bucket: 0 };

  constructor(readonly settings: RateLimitSettings = DISCORD_LIMITS) {}

  /** Any bot request: counts towards the global limit. */
  checkGlobal(now = Date.now()): Verdict {
    const s = this.settings;
    if (now - this.global.start >= 1000) this.global = { start: now, count: 0 };
    if (this.global.count >= s.globalPerSecond) {
      this.stats.global++;
      const after = (this.global.start + 1000 - now) / 1000;
      return {
        ok: false,
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: after, global: true },
        headers: { 'retry-after': String(Math.max(1, Math.ceil(after))), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
      };
    }
    this.global.count++;
    return { ok: true, headers: {} };
  }

  /** A message to a channel: its bucket must have room. Call after checkGlobal passed. */
  checkChannel(channelId: string, now = Date.now()): Verdict {
    const s = this.settings;
    let w = this.channels.get(channelId);
    if (!w || now - w.start >= s.perChannelWindowMs) this.channels.set(channelId, (w = { start: now, count: 0 }));
    const resetAt = w.start + s.perChannelWindowMs;
    const after = (resetAt - now) / 1000;
    const headers = (remaining: number) => ({
      'x-ratelimit-limit': String(s.perChannel),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': after.toFixed(3),
      'x-ratelimit-bucket': BUCKET,
    });
    if (w.count >= s.perChannel) {
      this.stats.bucket++;
      return {
        ok: false,
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: after, global: false },
        headers: { ...headers(0), 'retry-after': String(Math.max(1, Math.ceil(after))), 'x-ratelimit-scope': 'user' },
      };
    }
    w.count++;
    return { ok: true, headers: headers(s.perChannel - w.count) };
  }
}
