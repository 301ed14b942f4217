// Slack delivery benchmark: the real WebClient (configured as the adapter does) → SlackSender
// (paced per channel through a Pacer, its readyAt parking the channel) → DeliveryQueue, against the fake Slack enforcing
// ~1 message/s/channel with bursts of 3.
import { webApi } from '@slack/bolt';
import { SLACK_CHANNEL_PACE } from '../../src/platforms/slack/pacing.js';
import { createSlackSender } from '../../src/platforms/slack/sender.js';
import { createLogger } from '../../src/logger.js';
import { drainTimed, prepareBurst, type BenchResult } from './setup.js';
import { RateLimitedSlack, SLACK_LIMITS } from './slack-limits.js';

/** Per channel: the first `burst` messages at once, then one per 1/perSecond. */
export function slackMinimumMs(items: number, channels: number): number {
  const perChannel = Math.ceil(items / channels);
  return (Math.max(0, perChannel - SLACK_LIMITS.burst) / SLACK_LIMITS.perSecond) * 1000;
}

/** `pacerIntervalMs`: overrides the Slack sender's pacing interval (default: the sender's own). */
export async function benchSlack(o: { channels: number; perChannel: number; pacerIntervalMs?: number; timeoutMs?: number }): Promise<BenchResult> {
  const { channels, perChannel, pacerIntervalMs, timeoutMs = 90_000 } = o;
  const channelIds = Array.from({ length: channels }, (_, i) => `C0BENCH${String(i).padStart(4, '0')}`);
  const slack = await new RateLimitedSlack({ channels: channelIds.map((id) => ({ id, name: `bench-${id}`, isMember: true })) }).start();
  const client = new webApi.WebClient('xoxb-bench-token', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: webApi.LogLevel.ERROR });
  const logger = createLogger('error', [], process.stderr as never);
  const burst = await prepareBurst({ platform: 'slack', channelIds, perChannel, sender: createSlackSender({ client, logger, ...(pacerIntervalMs ? { pace: { ...SLACK_CHANNEL_PACE, intervalMs: pacerIntervalMs } } : {}) }) });
  const items = channels * perChannel;
  try {
    const elapsedMs = await drainTimed(burst, timeoutMs);
    if (slack.posts.length !== items) throw new Error(`fake Slack holds ${slack.posts.length} posts, expected ${items}`);
    return {
      name: 'Slack (WebClient + SlackSender + DeliveryQueue)',
      items,
      channels,
      elapsedMs,
      minimumMs: slackMinimumMs(items, channels),
      requests: slack.callsTo('chat.postMessage').length,
      rateLimited: slack.rateLimited,
      notes: `limit: ${SLACK_LIMITS.perSecond} message/s/channel, bursts of ${SLACK_LIMITS.burst}; no workspace-wide limit modelled; sender pacing ${pacerIntervalMs ? `${pacerIntervalMs} ms` : 'as shipped'}`,
    };
  } finally {
    await burst.cleanup();
    await slack.stop();
  }
}
