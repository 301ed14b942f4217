// Validated configuration. Every error names the setting and the expected form.
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { collectSettingsWithOrigins, type RawSettings } from './sources.js';
import { parseNetworkList } from '../core/fetch/networks.js';

const duration = (name: string, min: number) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms < min) {
      ctx.addIssue({ code: 'custom', message: `${name}="${text}" is not a duration of at least ${min / 1000}s; use e.g. 30s, 10m, 1h` });
      return z.NEVER;
    }
    return ms;
  });

const intIn = (name: string, min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `${name}="${text}" must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });

const url = (name: string, schemes: RegExp, example: string) =>
  z.string().refine((text) => {
    try {
      new URL(text);
      return schemes.test(text);
    } catch {
      return false;
    }
  }, { message: `${name} must be a URL like ${example}` });

const bool = (name: string) =>
  z.string().transform((text, ctx) => {
    if (/^(1|true|yes|on)$/i.test(text)) return true;
    if (/^(0|false|no|off)$/i.test(text)) return false;
    ctx.addIssue({ code: 'custom', message: `${name}="${text}" must be true or false` });
    return z.NEVER;
  });

const schema = z.object({
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
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'SLACK_APP_TOKEN must be an app-level token starting with xapp-').optional(),
  SLACK_API_URL: url('SLACK_API_URL', /^https?:\/\//, 'https://slack.com/api/').default('https://slack.com/api/'),
  SLACK_ADMINS_ONLY: bool('SLACK_ADMINS_ONLY').default(false),
  SLACK_COMMAND_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,20}$/, 'SLACK_COMMAND_PREFIX must be 1–20 lower-case letters, digits, - or _, like herald- (for /herald-subscribe)')
    .optional(),
  PORT: intIn('PORT', 0, 65535).default(3000),
  // Any address or host name is passed to listen(); a wrong one fails start-up naming HOST.
  HOST: z.string().trim().min(1, 'HOST must be an address to listen on, like 0.0.0.0 or 127.0.0.1').default('0.0.0.0'),
  // No default here: unset means "cluster on Redis, single process elsewhere" (resolved below).
  HERALD_CLUSTER: bool('HERALD_CLUSTER').optional(),
  DATABASE_URL: url('DATABASE_URL', /^(sqlite|redis|rediss|postgres|postgresql):\/\/./, 'sqlite://data/herald.sqlite, redis://host:6379 or postgres://user@host/db').default('sqlite://data/herald.sqlite'),
  POLL_INTERVAL: duration('POLL_INTERVAL', 1000).default(600_000),
  ALLOWED_PRIVATE_NETWORKS: z.string().transform((text, ctx) => {
    try {
      return parseNetworkList(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `ALLOWED_PRIVATE_NETWORKS: ${(err as Error).message}; use comma-separated IPs or CIDRs like 127.0.0.1/32,fd00::/8` });
      return z.NEVER;
    }
  }).default([]),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], { message: 'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent' }).default('info'),
  FEED_MAX_BYTES: intIn('FEED_MAX_BYTES', 1024, 1_000_000_000).default(10_000_000),
  FEED_MAX_FAILURES: intIn('FEED_MAX_FAILURES', 1, 1000).default(10),
  FETCH_CONCURRENCY: intIn('FETCH_CONCURRENCY', 1, 1000).default(32),
  FETCH_PER_HOST: intIn('FETCH_PER_HOST', 1, 100).default(2),
  MAX_ITEMS_PER_POLL: intIn('MAX_ITEMS_PER_POLL', 1, 100).default(10),
  DELIVERY_MAX_AGE: duration('DELIVERY_MAX_AGE', 1000).default(86_400_000),
  MAX_SUBSCRIPTIONS_PER_CHANNEL: intIn('MAX_SUBSCRIPTIONS_PER_CHANNEL', 1, 100_000).default(50),
  MAX_SUBSCRIPTIONS_PER_GUILD: intIn('MAX_SUBSCRIPTIONS_PER_GUILD', 1, 1_000_000).default(500),
  FEED_CHECKS_PER_MINUTE: intIn('FEED_CHECKS_PER_MINUTE', 1, 100_000).default(60),
});

export type Config = Omit<z.output<typeof schema>, 'HERALD_CLUSTER'> & {
  /** Resolved: true on redis:// unless HERALD_CLUSTER=false; always false on SQLite/PostgreSQL. */
  HERALD_CLUSTER: boolean;
  discord?: { token: string; apiUrl: string; guildId?: string; publicKey?: string; shards?: 'auto' | number };
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl: string; adminsOnly: boolean; commandPrefix: string };
};

export class ConfigError extends Error {}

export const NO_PLATFORM_MESSAGE =
  'No chat platform is configured. Set DISCORD_TOKEN to turn on Discord, and/or SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) to turn on Slack. See README.md.';

/** `origins` names the file a setting came from, so its error says where to fix it. */
export function parseConfig(raw: RawSettings, origins: Record<string, string> = {}): Config {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const file = typeof i.path[0] === 'string' ? origins[i.path[0]] : undefined;
      return `- ${i.message}${file ? ` (set in ${file})` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = result.data;
  const onRedis = /^rediss?:/.test(c.DATABASE_URL);
  if (c.HERALD_CLUSTER && !onRedis) {
    throw new ConfigError('Invalid configuration:\n- HERALD_CLUSTER=true needs DATABASE_URL=redis://… (the processes of a cluster share one Redis); SQLite and PostgreSQL run one Herald per database');
  }
  // Issue 14: processes started on one Redis form a cluster without further settings;
  // HERALD_CLUSTER=false keeps one process per store, guarded by the instance lease.
  const cfg: Config = { ...c, HERALD_CLUSTER: c.HERALD_CLUSTER ?? onRedis };
  if (c.DISCORD_TOKEN) cfg.discord = { token: c.DISCORD_TOKEN, apiUrl: c.DISCORD_API_URL, ...(c.DISCORD_GUILD_ID ? { guildId: c.DISCORD_GUILD_ID } : {}), ...(c.DISCORD_PUBLIC_KEY ? { publicKey: c.DISCORD_PUBLIC_KEY } : {}), ...(c.DISCORD_SHARDS !== undefined ? { shards: c.DISCORD_SHARDS } : {}) };
  if (c.SLACK_BOT_TOKEN) {
    if (!c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET) {
      throw new ConfigError('Invalid configuration:\n- SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)');
    }
    cfg.slack = {
      botToken: c.SLACK_BOT_TOKEN,
      apiUrl: c.SLACK_API_URL.endsWith('/') ? c.SLACK_API_URL : `${c.SLACK_API_URL}/`,
      adminsOnly: c.SLACK_ADMINS_ONLY,
      commandPrefix: c.SLACK_COMMAND_PREFIX ?? '',
      ...(c.SLACK_SIGNING_SECRET ? { signingSecret: c.SLACK_SIGNING_SECRET } : {}),
      ...(c.SLACK_APP_TOKEN ? { appToken: c.SLACK_APP_TOKEN } : {}),
    };
  } else if (c.SLACK_APP_TOKEN || c.SLACK_SIGNING_SECRET) {
    throw new ConfigError('Invalid configuration:\n- SLACK_APP_TOKEN / SLACK_SIGNING_SECRET are set but SLACK_BOT_TOKEN is missing');
  }
  return cfg;
}

/** Loads and validates settings; `requirePlatform` is for `npm start`, not for the CLI. */
export function loadConfig(opts: { requirePlatform: boolean; env?: RawSettings; cwd?: string }): Config {
  const { settings, origins } = collectSettingsWithOrigins(opts.env ?? process.env, opts.cwd);
  const cfg = parseConfig(settings, origins);
  if (opts.requirePlatform && !cfg.discord && !cfg.slack) throw new ConfigError(NO_PLATFORM_MESSAGE);
  return cfg;
}
