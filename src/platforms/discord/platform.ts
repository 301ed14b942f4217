// Discord as the registry sees it: its settings, when it is on, and how its adapter is made.
// Light on purpose (zod and types only): discord.js loads in create(), so a Slack-only
// process and the CLI never load it.
import { z } from 'zod';
import { url } from '../../config/fields.js';
import { definePlatform } from '../module.js';
import type { ShardSetting } from './shard-clients.js';

export interface DiscordSettings {
  token: string;
  apiUrl: string;
  guildId?: string;
  publicKey?: string;
  shards?: ShardSetting;
}

export const discordPlatform = definePlatform({
  name: 'discord',
  settings: {
    DISCORD_TOKEN: z.string().optional(),
    DISCORD_API_URL: url('DISCORD_API_URL', /^https?:\/\//, 'https://discord.com/api').default('https://discord.com/api'),
    DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'DISCORD_PUBLIC_KEY must be the 64 hex digits shown as "Public Key" in the Discord Developer Portal').optional(),
    DISCORD_SHARDS: z.string().transform((text, ctx) => {
      if (text.trim().toLowerCase() === 'auto') return 'auto' as const;
      const n = Number(text);
      if (/^\d+$/.test(text.trim()) && n >= 1 && n <= 1000) return n;
      ctx.addIssue({ code: 'custom', message: `DISCORD_SHARDS="${text}" must be auto or a whole number from 1 to 1000` });
      return z.NEVER;
    }).optional(),
    DISCORD_GUILD_ID: z.string().regex(/^\d+$/, 'DISCORD_GUILD_ID must be a numeric guild id').optional(),
  },
  hint: 'DISCORD_TOKEN to turn on Discord',
  secrets: ['DISCORD_TOKEN'],
  configure(c): DiscordSettings | undefined {
    if (!c.DISCORD_TOKEN) return undefined;
    return {
      token: c.DISCORD_TOKEN,
      apiUrl: c.DISCORD_API_URL,
      ...(c.DISCORD_GUILD_ID ? { guildId: c.DISCORD_GUILD_ID } : {}),
      ...(c.DISCORD_PUBLIC_KEY ? { publicKey: c.DISCORD_PUBLIC_KEY } : {}),
      ...(c.DISCORD_SHARDS !== undefined ? { shards: c.DISCORD_SHARDS } : {}),
    };
  },
  pacingKey: (s) => s.token,
  async create(settings, deps) {
    const { createDiscordAdapter } = await import('./index.js');
    // In a cluster each gateway shard is opened by the one process holding its Redis lock.
    const owners = deps.shardOwnership ? { shardOwnership: deps.shardOwnership(deps.logger.child({ platform: 'discord' })) } : {};
    return createDiscordAdapter({ ...settings, herald: deps.herald, useCases: deps.useCases, http: deps.http, ...owners });
  },
});
