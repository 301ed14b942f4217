// Gateway clients for DISCORD_SHARDS. One process on its own opens every shard in one
// discord.js Client; in a cluster each process opens only the shards whose Redis lock it
// holds (cluster/shard-locks.ts), one Client per shard so a shard can come and go alone.
import { Client, GatewayIntentBits, Routes, type RESTGetAPIGatewayBotResult } from 'discord.js';
import { makeRequest } from './make-request.js';

/** auto = the count Discord recommends in GET /gateway/bot. */
export type ShardSetting = 'auto' | number;

export function gatewayClient(opts: { apiUrl: string; shards?: number[] | 'auto'; shardCount?: number }): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: { api: opts.apiUrl, makeRequest },
    ...(opts.shards ? { shards: opts.shards } : {}),
    ...(opts.shardCount ? { shardCount: opts.shardCount } : {}),
  });
}

/** Resolves DISCORD_SHARDS to a number, asking Discord (with the bot token) for `auto`. */
export async function resolveShardCount(setting: ShardSetting, client: Client, token: string): Promise<number> {
  if (setting !== 'auto') return setting;
  client.rest.setToken(token);
  const info = (await client.rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return Math.max(1, info.shards);
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);
