// The fake Slack with Slack's chat.postMessage limit switched on: about one message per
// second per channel with short bursts, modelled as a token bucket per channel (burst
// SLACK_LIMITS.burst, refilled at perSecond). Beyond it the fake answers as Slack does:
// HTTP 429 {ok:false,error:'ratelimited'} with Retry-After, through its own fault hook.
import { FakeSlack, type PostFault } from '../../test/fakes/slack/index.js';

export const SLACK_LIMITS = { perSecond: 1, burst: 3 };

export class RateLimitedSlack extends FakeSlack {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** chat.postMessage calls answered 429 by the limit. */
  rateLimited = 0;

  /** Called by the fake for every chat.postMessage before it posts. */
  override takeFault(channel: string): PostFault | undefined {
    const wait = this.take(channel, Date.now());
    if (wait > 0) {
      this.rateLimited++;
      return { error: 'ratelimited', retryAfter: Math.ceil(wait / 1000) };
    }
    return super.takeFault(channel);
  }

  /** 0 when the channel had a token (now taken), else ms until it would have one. */
  private take(channel: string, now: number): number {
    const b = this.buckets.get(channel) ?? { tokens: SLACK_LIMITS.burst, at: now };
    const tokens = Math.min(SLACK_LIMITS.burst, b.tokens + ((now - b.at) / 1000) * SLACK_LIMITS.perSecond);
    const enough = tokens >= 1;
    this.buckets.set(channel, { tokens: enough ? tokens - 1 : tokens, at: now });
    return enough ? 0 : ((1 - tokens) / SLACK_LIMITS.perSecond) * 1000;
  }
}
