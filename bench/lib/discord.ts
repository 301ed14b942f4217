// Discord delivery benchmark: real discord.js REST → DiscordSender → DeliveryQueue, against
// the fake Discord enforcing 5 messages / 5 s per channel (bucket headers, 429s) and 50 req/s.
import { REST } from 'discord.js';
import { DEFAULT_RATES } from '../../src/core/deliver/queue.js';
import { createDiscordSender } from '../../src/platforms/discord/sender.js';
import { FakeDiscord } from '../../test/fakes/discord/index.js';
import { DISCORD_LIMITS } from '../../test/fakes/discord/rate-limits.js';
import { drainTimed, prepareBurst, type BenchResult } from './setup.js';

/** Whichever limit binds: N / global rate, or a channel's ceil(n / L) - 1 full windows. */
export function discordMinimumMs(items: number, channels: number): number {
  const L = DISCORD_LIMITS;
  const perChannel = Math.ceil(items / channels / L.perChannel) - 1;
  return Math.max((items / L.globalPerSecond) * 1000, perChannel * L.perChannelWindowMs);
}

export async function benchDiscord(o: { channels: number; perChannel: number; timeoutMs?: number }): Promise<BenchResult> {
  const { channels, perChannel, timeoutMs = 90_000 } = o;
  const channelIds = Array.from({ length: channels }, (_, i) => String(300000000000000000n + BigInt(i + 1)));
  const discord = await new FakeDiscord([{ id: '200000000000000001', channels: channelIds }]).start();
  const limiter = discord.enforceRateLimits();
  const rest = new REST({ api: discord.apiUrl }).setToken('bench-token');
  const burst = await prepareBurst({ platform: 'discord', channelIds, perChannel, sender: createDiscordSender(rest) });
  const items = channels * perChannel;
  try {
    const elapsedMs = await drainTimed(burst, timeoutMs);
    const posted = discord.messages.length;
    if (posted !== items) throw new Error(`fake Discord holds ${posted} messages, expected ${items}`);
    const requests = discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length;
    return {
      name: 'Discord (discord.js REST + DiscordSender + DeliveryQueue)',
      items,
      channels,
      elapsedMs,
      minimumMs: discordMinimumMs(items, channels),
      requests,
      rateLimited: discord.tooManyRequests,
      notes: `429s by cause: global ${limiter.stats.global}, channel bucket ${limiter.stats.bucket}; queue paces Discord sends at ${DEFAULT_RATES.discord}/s`,
    };
  } finally {
    await burst.cleanup();
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await discord.stop();
  }
}
