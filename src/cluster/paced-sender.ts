// Platform limits that hold however many processes send: each send first takes the next slot
// of a Redis pacer. Discord: 45/s per bot token (under its 50/s, see DEFAULT_RATES in
// deliver/queue.ts); Slack: about 1 message/s per channel.
import { createHash } from 'node:crypto';
import type { MessageSender } from '../domain/types.js';
import type { RedisPacer } from './redis-limits.js';

export const CLUSTER_RATES = { discordPerToken: 45, slackPerChannel: 1 } as const;

/** The token is never a Redis key: a short hash of it is. */
export const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);

export function pacedSender(sender: MessageSender, pacer: RedisPacer, opts: { token: string }): MessageSender {
  const token = tokenKey(opts.token);
  return {
    platform: sender.platform,
    async send(target, message, meta) {
      if (sender.platform === 'discord') await pacer.wait(`discord:${token}`, CLUSTER_RATES.discordPerToken);
      else await pacer.wait(`slack:${token}:${target.channelId}`, CLUSTER_RATES.slackPerChannel);
      return sender.send(target, message, meta);
    },
  };
}
