// Per-channel pacing for chat.postMessage: Slack allows about one message per second per
// channel with short bursts. The rule is kept in the runtime's Pacer (core/limits/pacer.ts,
// in memory or in Redis), so one process and a cluster pace a channel alike: the queue asks
// readyAt() first and parks the channel until then, so a send rarely finds it spent.
import type { PaceRule } from '../../core/limits/pacer.js';

/**
 * 5% under Slack's 1/s: requests that arrive slightly early (connection set-up on the
 * previous one) would otherwise meet a 429 (bench: 7% of requests at 1000 ms, none at 1050).
 * Bursts of 3 after a quiet spell.
 */
export const SLACK_CHANNEL_PACE: PaceRule = { intervalMs: 1050, burst: 3 };

export const slackChannelKey = (channelId: string) => `slack:channel:${channelId}`;
