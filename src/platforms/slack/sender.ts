// MessageSender for Slack: one chat.postMessage per message, paced per channel (SLACK_CHANNEL_PACE).
// Failures become SendResults; the core queue owns retries and ordering.
import type { webApi } from '@slack/bolt';
import { MemoryPacer, type Pacer, type PaceRule } from '../../core/limits/pacer.js';
import { systemClock } from '../../core/runtime/ports.js';
import type { MessageSender, SendableMessage, SendResult, SendTarget } from '../../domain/types.js';
import type { Logger } from '../../logger.js';
import { joinChannel } from './membership.js';
import { SLACK_CHANNEL_PACE, slackChannelKey } from './pacing.js';
import { slackPayloadFor, type SlackPayload } from './targets.js';
import { classifySlackError, NOT_IN_CHANNEL_REASON, PAYLOAD_ERRORS, slackErrorCode } from './slack-errors.js';

export interface SlackSenderOptions {
  client: webApi.WebClient;
  logger: Logger;
  /** The runtime's (core.pacer), so a cluster paces a channel as one process does; in memory when absent. */
  pacer?: Pacer;
  /** SLACK_CHANNEL_PACE unless a test or bench says. */
  pace?: PaceRule;
  onRateLimited?: () => void;
}

/** Whatever render.ts returns (only its two exports are a contract), plus identity fields. */
type SlackMessagePayload = SlackPayload;

interface Attempt {
  result: SendResult;
  /** Slack's error code, when Slack answered `ok: false`. */
  code?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createSlackSender(o: SlackSenderOptions): MessageSender {
  const pacer = o.pacer ?? new MemoryPacer(systemClock);
  const pace = o.pace ?? SLACK_CHANNEL_PACE;

  const post = async (channel: string, payload: SlackMessagePayload): Promise<Attempt> => {
    // The queue parked the channel until readyAt(), so this takes at once; only the second
    // post of one send (after a join, or the plain-text fallback) can find the pace spent.
    for (let wait = await pacer.take(slackChannelKey(channel), pace); wait > 0; wait = await pacer.take(slackChannelKey(channel), pace)) await sleep(wait);
    try {
      // The WebClient form-encodes the body and sends blocks as a JSON string itself.
      await o.client.chat.postMessage({ channel, ...payload } as webApi.ChatPostMessageArguments);
      return { result: { ok: true } };
    } catch (err) {
      const result = classifySlackError(err);
      if (!result.ok && result.reason === 'rate limited') o.onRateLimited?.();
      const code = slackErrorCode(err);
      return code ? { result, code } : { result };
    }
  };

  return {
    platform: 'slack',
    readyAt: (target) => pacer.readyAt(slackChannelKey(target.channelId), pace),
    async send(target: SendTarget, message: SendableMessage): Promise<SendResult> {
      const payload = slackPayloadFor(message, target.delivery ?? {});
      const first = await post(target.channelId, payload);
      if (first.code === 'not_in_channel') {
        // Public channels can be joined without anyone's help (channels:join); then post again, once.
        const joined = await joinChannel(o.client, target.channelId);
        o.logger.info({ channel: target.channelId, joined: joined.ok, error: joined.ok ? undefined : joined.error }, 'not in channel; tried to join');
        if (!joined.ok) return { ok: false, kind: 'blocked', reason: NOT_IN_CHANNEL_REASON };
        return (await post(target.channelId, payload)).result;
      }
      if (first.code && PAYLOAD_ERRORS.has(first.code) && payload.blocks) {
        // A block Slack refuses (an odd image URL, a long section) must not hold up the channel.
        o.logger.warn({ channel: target.channelId, error: first.code }, 'Slack refused the blocks; sending the plain-text fallback');
        const { blocks: _blocks, ...plain } = payload;
        return (await post(target.channelId, plain)).result;
      }
      return first.result;
    },
  };
}
