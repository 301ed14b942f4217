// The platform registry drives config and app.ts: a third platform, registered here as a fake
// module and named nowhere in src/config or src/app.ts, gets its settings validated by name,
// its half-set check, a readiness check, a reserved route, its secrets redacted and its adapter.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { platformSecrets, startHerald, type HeraldApp } from '../../src/app.js';
import { invalidConfig } from '../../src/config/error.js';
import { url } from '../../src/config/fields.js';
import { NO_PLATFORM_MESSAGE, noPlatformMessage, parseConfig } from '../../src/config/index.js';
import { PLATFORM_NAME } from '../../src/domain/types.js';
import { createLogger } from '../../src/logger.js';
import type { PlatformAdapter } from '../../src/platforms/adapter.js';
import { definePlatform, type PlatformDeps } from '../../src/platforms/module.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import { tempSqlite, type TempDb } from '../e2e/harness.js';

/** What the fake's create() saw, and the switches the test turns. */
const seen = { created: [] as unknown[], reserved: [] as unknown[] };
let releaseCreate: () => void = () => undefined;
let connected = false;

const echoPlatform = definePlatform({
  name: 'echo',
  settings: {
    ECHO_TOKEN: z.string().optional(),
    ECHO_API_URL: url('ECHO_API_URL', /^https?:\/\//, 'https://echo.example/api').default('https://echo.example/api'),
  },
  hint: 'ECHO_TOKEN to turn on Echo',
  secrets: ['ECHO_TOKEN'],
  configure(c) {
    if (!c.ECHO_TOKEN) {
      if (c.ECHO_API_URL !== 'https://echo.example/api') throw invalidConfig('ECHO_API_URL is set but ECHO_TOKEN is missing');
      return undefined;
    }
    return { token: c.ECHO_TOKEN, apiUrl: c.ECHO_API_URL };
  },
  pacingKey: (s) => s.token,
  reserve(s) {
    seen.reserved.push(s);
    return [{ method: 'POST', path: '/echo/events' }];
  },
  async create(settings, deps: PlatformDeps): Promise<PlatformAdapter> {
    seen.created.push(settings);
    await new Promise<void>((r) => (releaseCreate = r));
    deps.http.mount('POST', '/echo/events', (_req, res) => void res.end('echo'));
    return { name: 'echo', start: async () => undefined, stop: async () => undefined, isReady: () => connected };
  },
});
const withEcho = [...PLATFORMS, echoPlatform];

describe('the platform registry', () => {
  it('lists platforms by names a channel key can hold', () => {
    for (const p of withEcho) expect(p.name).toMatch(PLATFORM_NAME);
    expect(PLATFORMS.map((p) => p.name)).toEqual(['discord', 'slack']);
  });

  it("assembles today's exact no-platform message from the modules' hints, and adds a new one", () => {
    expect(NO_PLATFORM_MESSAGE).toBe(
      'No chat platform is configured. Set DISCORD_TOKEN to turn on Discord, and/or SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) to turn on Slack. See README.md.',
    );
    expect(noPlatformMessage(withEcho)).toMatch(/to turn on Slack, and\/or ECHO_TOKEN to turn on Echo\. See README\.md\.$/);
  });

  it("validates a registered platform's settings by name, with the file they came from, and its own checks", () => {
    const c = parseConfig({ ECHO_TOKEN: 'e-token-123456' }, {}, withEcho);
    expect(c.platforms).toEqual({ echo: { token: 'e-token-123456', apiUrl: 'https://echo.example/api' } });
    expect(() => parseConfig({ ECHO_TOKEN: 't', ECHO_API_URL: 'ftp://x' }, { ECHO_API_URL: '.env' }, withEcho)).toThrow(
      'Invalid configuration:\n- ECHO_API_URL must be a URL like https://echo.example/api (set in .env)',
    );
    expect(() => parseConfig({ ECHO_API_URL: 'https://other.example/api' }, {}, withEcho)).toThrow('Invalid configuration:\n- ECHO_API_URL is set but ECHO_TOKEN is missing');
    // Not registered: the same settings are not Herald's, and nothing is turned on.
    expect(parseConfig({ ECHO_TOKEN: 't', ECHO_API_URL: 'ftp://x' }).platforms).toEqual({});
  });

  it("redacts a registered platform's secrets by value and by key", () => {
    const c = parseConfig({ ECHO_TOKEN: 'e-token-123456' }, {}, withEcho);
    const secrets = platformSecrets(c, withEcho);
    expect(secrets.keys).toContain('ECHO_TOKEN');
    const lines: string[] = [];
    const out = new Writable({ write: (chunk, _enc, cb) => void (lines.push(String(chunk)), cb()) });
    const log = createLogger('info', secrets.values, out, secrets.keys);
    log.info({ config: { ECHO_TOKEN: 'another-value' } }, 'echo says e-token-123456');
    expect(lines.join('')).not.toMatch(/e-token-123456|another-value/);
    expect(lines.join('')).toContain('[redacted]');
  });

  describe('in a running Herald', () => {
    let db: TempDb | undefined;
    let app: HeraldApp | undefined;
    afterEach(async () => {
      releaseCreate();
      await app?.stop();
      db?.cleanup();
    });

    it('holds its reserved route, checks its readiness and creates its adapter with its settings', async () => {
      db = tempSqlite();
      const port = await freePort();
      const config = parseConfig({ ECHO_TOKEN: 'e-token-123456', DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'silent' }, {}, withEcho);
      const starting = startHerald(config, { platforms: withEcho, host: '127.0.0.1', logger: createLogger('silent') });
      // create() waits for the test: the route is reserved and readiness names the platform.
      await expect.poll(() => seen.created.length).toBe(1);
      expect(seen.created[0]).toEqual({ token: 'e-token-123456', apiUrl: 'https://echo.example/api' });
      expect(seen.reserved).toEqual([{ token: 'e-token-123456', apiUrl: 'https://echo.example/api' }]);
      const early = fetch(`http://127.0.0.1:${port}/echo/events`, { method: 'POST' });
      const notReady = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks: Record<string, unknown> };
      expect(notReady.checks.echo).toEqual({ ready: false, reason: 'echo not started' });
      releaseCreate();
      app = await starting;
      // Reserved: the early request waited for the mount instead of meeting a 404.
      const res = await early;
      expect([res.status, await res.text()]).toEqual([200, 'echo']);
      expect(app.adapters.map((a) => a.name)).toEqual(['echo']);
      const before = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks: Record<string, unknown> };
      expect(before.checks.echo).toEqual({ ready: false, reason: 'echo not connected' });
      connected = true;
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, unknown> }).checks.echo).toEqual({ ready: true });
    });
  });
});

/** A port free a moment ago (as endpoints.test.ts does): the test needs it before start returns. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const free = (s.address() as AddressInfo).port;
      s.close(() => resolve(free));
    });
  });
}
