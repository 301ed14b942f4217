// Validated configuration. Every error names the setting and the expected form.
// The platforms' settings and checks come from their modules (src/platforms/registry.ts):
// nothing here names a platform.
import { z } from 'zod';
import { bool, duration, intIn, url } from './fields.js';
import { ConfigError, invalidConfig } from './error.js';
import { collectSettingsWithOrigins, type RawSettings } from './sources.js';
import { parseNetworkList } from '../core/fetch/networks.js';
import type { AnyPlatformModule } from '../platforms/module.js';
import { PLATFORMS } from '../platforms/registry.js';

export { ConfigError } from './error.js';

const shape = {
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
};

type Registered = (typeof PLATFORMS)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** The registered platforms' settings as parsed (DISCORD_API_URL with its default, …). */
type PlatformValues = UnionToIntersection<{ [M in Registered as M['name']]: z.output<z.ZodObject<M['settings']>> }[Registered['name']]>;
/** Each registered platform's settings when it is turned on. */
export type PlatformSettings = { [M in Registered as M['name']]?: Exclude<ReturnType<M['configure']>, undefined> };

export type Config = Omit<z.output<z.ZodObject<typeof shape>>, 'HERALD_CLUSTER'> &
  PlatformValues & {
    /** Resolved: true on redis:// unless HERALD_CLUSTER=false; always false on SQLite/PostgreSQL. */
    HERALD_CLUSTER: boolean;
    /** The platforms turned on, by name (registry order); a platform that is off is absent. */
    platforms: PlatformSettings;
  };

/** "Set A, and/or B …": each platform's own hint, in registry order. */
export const noPlatformMessage = (platforms: readonly AnyPlatformModule[]) =>
  `No chat platform is configured. Set ${platforms.map((p) => p.hint).join(', and/or ')}. See README.md.`;

export const NO_PLATFORM_MESSAGE = noPlatformMessage(PLATFORMS);

// The platforms' settings come first, as they did when they were written here: the order of
// the schema is the order of the errors.
const schemaOf = (platforms: readonly AnyPlatformModule[]) => z.object({ ...Object.assign({}, ...platforms.map((p) => p.settings)), ...shape });
const defaultSchema = schemaOf(PLATFORMS);

/**
 * `origins` names the file a setting came from, so its error says where to fix it.
 * `platforms` is the registry; tests pass a longer one.
 */
export function parseConfig(raw: RawSettings, origins: Record<string, string> = {}, platforms: readonly AnyPlatformModule[] = PLATFORMS): Config {
  const result = (platforms === PLATFORMS ? defaultSchema : schemaOf(platforms)).safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const file = typeof i.path[0] === 'string' ? origins[i.path[0]] : undefined;
      return `- ${i.message}${file ? ` (set in ${file})` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = result.data as Record<string, unknown> & z.output<z.ZodObject<typeof shape>>;
  const onRedis = /^rediss?:/.test(c.DATABASE_URL);
  if (c.HERALD_CLUSTER && !onRedis) {
    throw invalidConfig('HERALD_CLUSTER=true needs DATABASE_URL=redis://… (the processes of a cluster share one Redis); SQLite and PostgreSQL run one Herald per database');
  }
  const on: Record<string, unknown> = {};
  for (const p of platforms) {
    const settings: unknown = p.configure(c);
    if (settings !== undefined) on[p.name] = settings;
  }
  // Issue 14: processes started on one Redis form a cluster without further settings;
  // HERALD_CLUSTER=false keeps one process per store, guarded by the instance lease.
  return { ...c, HERALD_CLUSTER: c.HERALD_CLUSTER ?? onRedis, platforms: on } as Config;
}

/** Loads and validates settings; `requirePlatform` is for `npm start`, not for the CLI. */
export function loadConfig(opts: { requirePlatform: boolean; env?: RawSettings; cwd?: string }): Config {
  const { settings, origins } = collectSettingsWithOrigins(opts.env ?? process.env, opts.cwd);
  const cfg = parseConfig(settings, origins);
  if (opts.requirePlatform && Object.keys(cfg.platforms).length === 0) throw new ConfigError(NO_PLATFORM_MESSAGE);
  return cfg;
}
