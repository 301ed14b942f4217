// docker-compose.yml and .env.example are read by tools we cannot run here (no Docker engine,
// no compose plugin), so this checks their structure: what a self-hoster relies on.
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  build?: unknown;
  image?: string;
  env_file?: string | string[];
  environment?: Record<string, string>;
  restart?: string;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[] };
  profiles?: string[];
  command?: string[];
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const envExample = readFileSync('.env.example', 'utf8');

describe('docker-compose.yml', () => {
  const herald = compose.services.herald!;

  it('builds and tags the herald image, keeps state on a named volume and restarts', () => {
    expect(herald.build).toBe('.');
    expect(herald.image).toBe('herald:latest');
    expect(herald.env_file).toBe('.env');
    expect(herald.restart).toBe('unless-stopped');
    expect(herald.ports).toContain('${HERALD_PORTS:-3000}:3000');
    expect(herald.volumes).toContain('herald-data:/data');
    expect(compose.volumes).toHaveProperty('herald-data');
    expect(herald.profiles).toBeUndefined();
  });

  it('checks liveness on /healthz without curl', () => {
    const test = herald.healthcheck?.test ?? [];
    expect(test.join(' ')).toContain('/healthz');
    expect(test[1]).toBe('node');
  });

  it('offers redis and postgres only behind profiles, with persistent storage', () => {
    const redis = compose.services.redis!;
    expect(redis.image).toMatch(/^redis:7/);
    expect(redis.profiles).toEqual(['redis', 'cluster']);
    expect(redis.command?.join(' ')).toContain('--appendonly yes');
    const pg = compose.services.postgres!;
    expect(pg.image).toMatch(/^postgres:16/);
    expect(pg.profiles).toEqual(['postgres']);
    expect(Object.keys(pg.environment ?? {})).toEqual(expect.arrayContaining(['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD']));
    expect(pg.volumes?.some((v) => v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
  });

  it('documents the cluster profile: Redis, HERALD_CLUSTER and one host port per replica', () => {
    const text = readFileSync('docker-compose.yml', 'utf8');
    expect(text).toContain('docker compose --profile cluster up -d --scale herald=3');
    expect(text).toContain('HERALD_CLUSTER=true');
    expect(text).toContain('HERALD_PORTS=3000-3002');
    expect(herald.profiles).toBeUndefined(); // the same service scales, no second definition
  });

  it('gives a DATABASE_URL example matching each optional database service', () => {
    const text = readFileSync('docker-compose.yml', 'utf8');
    const pg = compose.services.postgres!.environment!;
    expect(text).toContain('DATABASE_URL=redis://redis:6379');
    expect(text).toContain(`DATABASE_URL=postgres://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`);
  });
});

describe('.env.example', () => {
  const documented = [
    'DISCORD_TOKEN', 'DISCORD_API_URL', 'DISCORD_GUILD_ID', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN',
    'SLACK_API_URL', 'SLACK_ADMINS_ONLY', 'PORT', 'DATABASE_URL', 'POLL_INTERVAL', 'ALLOWED_PRIVATE_NETWORKS', 'LOG_LEVEL',
    'FEED_MAX_BYTES', 'FEED_MAX_FAILURES', 'FETCH_CONCURRENCY', 'FETCH_PER_HOST', 'MAX_ITEMS_PER_POLL', 'DELIVERY_MAX_AGE', 'HERALD_CONFIG', 'HERALD_CLUSTER',
    'MAX_SUBSCRIPTIONS_PER_CHANNEL', 'MAX_SUBSCRIPTIONS_PER_GUILD', 'FEED_CHECKS_PER_MINUTE',
  ];

  it.each(documented)('lists %s with a comment line above it', (name) => {
    const lines = envExample.split('\n');
    const at = lines.findIndex((l) => new RegExp(`^#? ?${name}=`).test(l));
    expect(at, `${name} missing`).toBeGreaterThan(0);
    expect(lines[at - 1]).toMatch(/^# \S/);
  });

  it('sets nothing by default: a copied .env must not override the image defaults', () => {
    // env_file puts every uncommented line into the container, even empty ones; an empty
    // value means "default", and only the tokens are left uncommented.
    const set = parseEnv(envExample);
    for (const [k, v] of Object.entries(set)) {
      expect(v, k).toBe('');
      expect(['DISCORD_TOKEN', 'SLACK_BOT_TOKEN']).toContain(k);
    }
  });
});
