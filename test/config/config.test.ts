import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, NO_PLATFORM_MESSAGE, parseConfig } from '../../src/config/index.js';
import { parseDuration } from '../../src/config/duration.js';

const cwd = () => mkdtempSync(join(tmpdir(), 'herald-config-'));

describe('config', () => {
  it('applies the documented defaults', () => {
    const c = parseConfig({ DISCORD_TOKEN: 't' });
    expect(c.POLL_INTERVAL).toBe(600_000);
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBe('sqlite://data/herald.sqlite');
    expect(c.DISCORD_API_URL).toBe('https://discord.com/api');
    expect(c.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(c.ALLOWED_PRIVATE_NETWORKS).toEqual([]);
    expect(c.platforms.discord).toEqual({ token: 't', apiUrl: 'https://discord.com/api' });
    expect(c.platforms.slack).toBeUndefined();
  });

  it('reads DISCORD_PUBLIC_KEY and DISCORD_SHARDS into the Discord settings', () => {
    const key = 'ab'.repeat(32);
    expect(parseConfig({ DISCORD_TOKEN: 't', DISCORD_PUBLIC_KEY: key, DISCORD_SHARDS: 'auto' }).platforms.discord).toMatchObject({ publicKey: key, shards: 'auto' });
    expect(parseConfig({ DISCORD_TOKEN: 't', DISCORD_SHARDS: '4' }).platforms.discord?.shards).toBe(4);
  });

  describe('HERALD_CLUSTER (issue 14: processes on one Redis are one cluster)', () => {
    const cluster = (raw: Record<string, string>) => parseConfig({ DISCORD_TOKEN: 't', ...raw }).HERALD_CLUSTER;

    it('is on by default with a redis:// or rediss:// store', () => {
      expect(cluster({ DATABASE_URL: 'redis://h:6379' })).toBe(true);
      expect(cluster({ DATABASE_URL: 'rediss://user:pw@h:6380/2' })).toBe(true);
      expect(cluster({ DATABASE_URL: 'redis://h:6379', HERALD_CLUSTER: 'true' })).toBe(true);
    });

    it('HERALD_CLUSTER=false keeps one process with the instance lease on Redis', () => {
      expect(cluster({ DATABASE_URL: 'redis://h:6379', HERALD_CLUSTER: 'false' })).toBe(false);
      expect(cluster({ DATABASE_URL: 'rediss://h:6380', HERALD_CLUSTER: '0' })).toBe(false);
    });

    it('is off on SQLite and PostgreSQL, and HERALD_CLUSTER=true there fails naming the setting', () => {
      expect(cluster({})).toBe(false);
      expect(cluster({ DATABASE_URL: 'postgres://u@h/db' })).toBe(false);
      expect(cluster({ DATABASE_URL: 'sqlite://data/x.sqlite', HERALD_CLUSTER: 'false' })).toBe(false);
      for (const url of ['sqlite://data/x.sqlite', 'postgres://u@h/db', 'postgresql://u@h/db']) {
        expect(() => cluster({ DATABASE_URL: url, HERALD_CLUSTER: 'true' })).toThrow(ConfigError);
        expect(() => cluster({ DATABASE_URL: url, HERALD_CLUSTER: 'true' })).toThrow(/HERALD_CLUSTER=true needs DATABASE_URL=redis/);
      }
      expect(() => cluster({ HERALD_CLUSTER: 'true' })).toThrow(/HERALD_CLUSTER=true needs DATABASE_URL=redis/);
    });

    it('rejects a value that is not a boolean', () => {
      expect(() => cluster({ HERALD_CLUSTER: 'maybe' })).toThrow(/HERALD_CLUSTER="maybe" must be true or false/);
      expect(() => cluster({ DATABASE_URL: 'redis://h:6379', HERALD_CLUSTER: '' })).toThrow(/HERALD_CLUSTER="" must be true or false/);
    });

    it('reads HERALD_CLUSTER from the config file too', () => {
      const dir = cwd();
      writeFileSync(join(dir, 'herald.json'), JSON.stringify({ DATABASE_URL: 'redis://h:6379', HERALD_CLUSTER: false }));
      const c = loadConfig({ requirePlatform: false, env: { HERALD_CONFIG: join(dir, 'herald.json'), HERALD_DOTENV: 'false' }, cwd: dir });
      expect(c.HERALD_CLUSTER).toBe(false);
    });
  });

  it('honours any poll interval of at least 1s', () => {
    expect(parseConfig({ POLL_INTERVAL: '2s' }).POLL_INTERVAL).toBe(2000);
    expect(parseConfig({ POLL_INTERVAL: '10m' }).POLL_INTERVAL).toBe(600_000);
    expect(() => parseConfig({ POLL_INTERVAL: '500ms' })).toThrow(/POLL_INTERVAL/);
  });

  it.each([
    [{ POLL_INTERVAL: 'abc' }, /POLL_INTERVAL="abc".*e\.g\. 30s/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a URL like sqlite:\/\//],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL/],
    [{ PORT: '99999' }, /PORT="99999" must be a whole number/],
    [{ ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/99' }, /ALLOWED_PRIVATE_NETWORKS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_SIGNING_SECRET.*SLACK_APP_TOKEN/],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, /SLACK_BOT_TOKEN is missing/],
    [{ DISCORD_PUBLIC_KEY: 'abc' }, /DISCORD_PUBLIC_KEY must be the 64 hex digits/],
    [{ DISCORD_SHARDS: '0' }, /DISCORD_SHARDS="0" must be auto or a whole number/],
    [{ DISCORD_SHARDS: 'many' }, /DISCORD_SHARDS="many"/],
  ])('rejects %o naming the setting', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });

  it('parses allowlists of IPs and CIDRs', () => {
    const nets = parseConfig({ ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/32, ::1' }).ALLOWED_PRIVATE_NETWORKS;
    expect(nets.map(([a, b]) => `${a.toString()}/${b}`)).toEqual(['127.0.0.1/32', '::1/128']);
  });

  it('turns Slack on in HTTP or Socket Mode', () => {
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:1/api' }).platforms.slack).toMatchObject({ signingSecret: 's', apiUrl: 'http://127.0.0.1:1/api/' });
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).platforms.slack).toMatchObject({ appToken: 'xapp-1' });
  });

  it('fails without a platform when starting the bot, naming the variables', () => {
    expect(() => loadConfig({ requirePlatform: true, env: {}, cwd: cwd() })).toThrow(NO_PLATFORM_MESSAGE);
    expect(NO_PLATFORM_MESSAGE).toMatch(/DISCORD_TOKEN/);
    expect(NO_PLATFORM_MESSAGE).toMatch(/SLACK_BOT_TOKEN/);
  });

  it('reads .env and a config file, with the environment winning', () => {
    const dir = cwd();
    writeFileSync(join(dir, '.env'), 'POLL_INTERVAL=30s\nDISCORD_TOKEN=from-dotenv\n');
    writeFileSync(join(dir, 'herald.json'), JSON.stringify({ POLL_INTERVAL: '5m', MAX_ITEMS_PER_POLL: 3, LOG_LEVEL: 'debug' }));
    const c = loadConfig({ requirePlatform: true, env: { HERALD_CONFIG: join(dir, 'herald.json'), LOG_LEVEL: 'warn' }, cwd: dir });
    expect(c.POLL_INTERVAL).toBe(30_000);
    expect(c.MAX_ITEMS_PER_POLL).toBe(3);
    expect(c.LOG_LEVEL).toBe('warn');
    expect(c.platforms.discord?.token).toBe('from-dotenv');
  });

  it('names the file a bad value came from, and not a file for the environment', () => {
    const dir = cwd();
    const file = join(dir, 'config', 'herald.json');
    mkdirSync(join(dir, 'config'));
    writeFileSync(file, JSON.stringify({ PORT: 99999, POLL_INTERVAL: 'often' }));
    writeFileSync(join(dir, '.env'), 'LOG_LEVEL=loud\n');
    const err = (() => {
      try {
        loadConfig({ requirePlatform: false, env: { FEED_MAX_FAILURES: '0' }, cwd: dir });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toContain(`PORT="99999" must be a whole number from 0 to 65535 (set in ${file})`);
    expect(err!.message).toContain(`POLL_INTERVAL="often"`);
    expect(err!.message).toContain(`(set in ${join(dir, '.env')})`);
    expect(err!.message).toMatch(/FEED_MAX_FAILURES="0" must be a whole number from 1 to 1000$/m);
  });

  it('listens on HOST, by default every IPv4 interface', () => {
    expect(parseConfig({}).HOST).toBe('0.0.0.0');
    expect(parseConfig({ HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_COMMAND_PREFIX: 'herald-' }).platforms.slack?.commandPrefix).toBe('herald-');
    expect(() => parseConfig({ SLACK_COMMAND_PREFIX: '/Herald ' })).toThrow(/SLACK_COMMAND_PREFIX/);
  });

  it('parses durations', () => {
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('ten')).toBeUndefined();
  });
});
