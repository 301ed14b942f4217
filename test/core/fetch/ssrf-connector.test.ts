// End to end through the real fetcher: listeners on 127.0.0.2 and ::1 lie outside the
// allowlist (127.0.0.1/32) and must never see a connection, however the URL gets there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from '../../../src/core/fetch/index.js';
import { parseNetworkList } from '../../../src/core/fetch/networks.js';
import { failure, LoopbackServer, RSS } from './loopback-server.js';
import { itNeeds, type Missing } from '../../support/needs.js';

const feed = RSS('ok', [{ title: 'a', link: 'https://example.com/a' }]);

async function listenV6(): Promise<LoopbackServer | undefined> {
  try {
    return await new LoopbackServer('::1').start();
  } catch {
    return undefined; // no IPv6 loopback on this machine
  }
}

// Probed before the tests are registered, so a machine without ::1 shows a skipped test with
// a notice (or, under CI=true, a failure) instead of a test that passes having checked nothing.
const probe = await listenV6();
await probe?.stop();
const v6Missing: Missing = probe ? undefined : { what: 'an IPv6 loopback (::1)', why: 'nothing can listen on ::1 here' };

describe('SSRF guard on the connection', () => {
  let forbidden: LoopbackServer;
  let forbidden6: LoopbackServer | undefined;
  let allowed: LoopbackServer;
  let fetcher: Fetcher;
  const names: Record<string, string[]> = {};

  beforeAll(async () => {
    forbidden = await new LoopbackServer('127.0.0.2').start();
    forbidden.serve('/feed', feed);
    forbidden6 = await listenV6();
    forbidden6?.serve('/feed', feed);
    allowed = await new LoopbackServer('127.0.0.1').start();
    allowed.serve('/feed', feed);
    allowed.route('/to-forbidden', (_q, s) => s.writeHead(302, { location: forbidden.url('/feed') }).end());
    allowed.route('/to-evil-name', (_q, s) => s.writeHead(301, { location: `http://evil.test:${forbidden.port}/feed` }).end());
    allowed.route('/to-v6', (_q, s) => s.writeHead(307, { location: `http://[::1]:${forbidden6?.port ?? 1}/feed` }).end());
    allowed.route('/to-decimal', (_q, s) => s.writeHead(302, { location: `http://2130706434:${forbidden.port}/feed` }).end());
    allowed.route('/to-file', (_q, s) => s.writeHead(302, { location: 'file:///etc/passwd' }).end());
    names['evil.test'] = ['127.0.0.2'];
    names['mixed.test'] = ['127.0.0.2', '::1'];
    names['good.test'] = ['127.0.0.1'];
    fetcher = createFetcher({
      maxBytes: 1_000_000,
      userAgent: 'Herald-test',
      allowedNetworks: parseNetworkList('127.0.0.1/32'),
      timeoutMs: 5000,
      resolveHost: async (host) => {
        const found = names[host];
        if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const);
      },
    });
  });

  afterAll(async () => {
    await fetcher.close();
    await Promise.all([forbidden.stop(), forbidden6?.stop(), allowed.stop()]);
  });

  it('fetches from the allowlisted address, by IP and by a name resolving to it', async () => {
    expect((await fetcher.fetch({ url: allowed.url('/feed') })).status).toBe('ok');
    expect((await fetcher.fetch({ url: `http://good.test:${allowed.port}/feed` })).status).toBe('ok');
  });

  it('with real name resolution, "localhost" reaches 127.0.0.1 and never ::1', async () => {
    const real = createFetcher({ maxBytes: 1_000_000, userAgent: 'Herald-test', allowedNetworks: parseNetworkList('127.0.0.1/32'), timeoutMs: 5000 });
    try {
      expect((await real.fetch({ url: `http://localhost:${allowed.port}/feed` })).status).toBe('ok');
      if (forbidden6) expect((await failure(real.fetch({ url: `http://localhost:${forbidden6.port}/feed` }))).kind).not.toBe('ok');
    } finally {
      await real.close();
    }
  });

  it('refuses a literal address outside the allowlist', async () => {
    expect((await failure(fetcher.fetch({ url: forbidden.url('/feed') }))).kind).toBe('blocked-address');
    expect((await failure(fetcher.fetch({ url: `http://2130706434:${forbidden.port}/feed` }))).kind).toBe('blocked-address');
    expect((await failure(fetcher.fetch({ url: `http://127.0.2:${forbidden.port}/feed` }))).kind).toBe('blocked-address');
  });

  it('refuses a host name that resolves to a forbidden address, at connect time', async () => {
    const err = await failure(fetcher.fetch({ url: `http://evil.test:${forbidden.port}/feed` }));
    expect(err.kind).toBe('blocked-address');
    expect(err.message).toContain('127.0.0.2');
    expect((await failure(fetcher.fetch({ url: `http://mixed.test:${forbidden.port}/feed` }))).kind).toBe('blocked-address');
  });

  it('checks every redirect hop', async () => {
    for (const path of ['/to-forbidden', '/to-evil-name', '/to-decimal']) {
      expect((await failure(fetcher.fetch({ url: allowed.url(path) }))).kind, path).toBe('blocked-address');
    }
    expect((await failure(fetcher.fetch({ url: allowed.url('/to-file') }))).kind).toBe('bad-url');
  });

  itNeeds(v6Missing, 'refuses ::1 and redirects to it', async () => {
    if (!forbidden6) throw new Error('::1 answered the probe but not the listener');
    expect((await failure(fetcher.fetch({ url: forbidden6.url('/feed') }))).kind).toBe('blocked-address');
    expect((await failure(fetcher.fetch({ url: allowed.url('/to-v6') }))).kind).toBe('blocked-address');
  });

  it('never connected to a forbidden listener', () => {
    expect(forbidden.connections).toBe(0);
    expect(forbidden6?.connections ?? 0).toBe(0);
    expect(allowed.connections).toBeGreaterThan(0);
  });
});
