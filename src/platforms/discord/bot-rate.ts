// Discord's global limit (50 requests/s per bot) counts requests, not messages: a post, the
// channel lookup a cluster process makes before its first post to a channel whose gateway
// shard it does not hold, a webhook created, a follow-up, discord.js's own retry of a 429.
// Herald's rule (45/s per bot, DISCORD_PER_SECOND) is therefore applied where a request
// leaves: each one reserves a start from the bot's key in the runtime's Pacer (in Redis for
// a cluster, so one key per bot whatever the number of processes) and waits for it.
// Requests without the bot token (interaction callbacks) are not the bot's and go at once.
import { createHash } from 'node:crypto';
import type { REST, RESTOptions } from 'discord.js';
import { DISCORD_PER_SECOND, ratePace, type Pacer } from '../../core/limits/pacer.js';
import type { Clock } from '../../core/runtime/ports.js';

export const BOT_RATE = ratePace(DISCORD_PER_SECOND);

/** The bot's key in the Pacer: a short hash of its Authorization header, never the token. */
export const botRateKey = (authorization: string) => `rate:discord:${createHash('sha256').update(authorization).digest('hex').slice(0, 16)}`;

/**
 * A request whose start is nearer than this waits for it in line (reserve) instead of its
 * channel being parked: parking and waking costs a round trip, long enough to leave starts
 * unused, and while the bot's rate is spent no other Discord channel could send anyway. The
 * line is bounded by the sends in flight; past this, the channel is parked.
 */
export const PARK_AFTER_MS = 1000;

export interface BotRate {
  /** Epoch ms when a new turn should wait for the bot's rate (past PARK_AFTER_MS), else 0; takes nothing. */
  readyAt(): Promise<number>;
}

type Init = Parameters<RESTOptions['makeRequest']>[1];

function authorizationOf(headers: Init['headers']): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get('authorization') ?? undefined;
  if (Array.isArray(headers)) return headers.find(([k]) => k?.toLowerCase() === 'authorization')?.[1];
  const rec = headers as Record<string, string | undefined>;
  return rec.Authorization ?? rec.authorization;
}

const paced = new WeakMap<REST, BotRate>();

/**
 * Every request of `rest` that carries a bot token takes its start under BOT_RATE first.
 * Once per REST (its first pacer wins): the gateway client's REST serves commands and posts.
 */
export function paceBotRequests(rest: REST, pacer: Pacer, clock: Clock): BotRate {
  const known = paced.get(rest);
  if (known) return known;
  let key: string | undefined;
  const send = rest.options.makeRequest;
  (rest.options as RESTOptions).makeRequest = async (url, init) => {
    const auth = authorizationOf(init.headers);
    if (auth) {
      key = botRateKey(auth);
      // Bounded: a process has at most its delivery concurrency (40) of posts in flight.
      const wait = await pacer.reserve(key, BOT_RATE);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    return send(url, init);
  };
  // Before the first request the key is unknown, and nothing has been spent from it here.
  const rate: BotRate = {
    async readyAt() {
      const at = key ? await pacer.readyAt(key, BOT_RATE) : 0;
      return at > clock.now() + PARK_AFTER_MS ? at : 0;
    },
  };
  paced.set(rest, rate);
  return rate;
}
