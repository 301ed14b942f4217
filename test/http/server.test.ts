// The operational endpoints on their own: liveness, readiness with reasons, Prometheus text.
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createMetrics } from '../../src/metrics.js';
import type { FeedRecord } from '../../src/domain/records.js';
import { METRIC_NAMES } from './metric-names.js';

const feed = (id: string, extra: Partial<FeedRecord> = {}): FeedRecord => ({ id, url: `https://example.com/${id}`, nextCheckAt: 0, failures: 0, initialized: true, ...extra });

describe('HTTP server', () => {
  let http: HttpServer | undefined;
  afterEach(async () => http?.close());

  const start = async (checks: () => Record<string, { ready: boolean; reason?: string }>) => {
    const metrics = createMetrics();
    http = createHttpServer({ registry: metrics.registry, readiness: { check: checks } });
    const port = await http.listen(0, '127.0.0.1');
    return { metrics, get: (path: string) => fetch(`http://127.0.0.1:${port}${path}`) };
  };

  it('answers /healthz with 200 whatever readiness says', async () => {
    const { get } = await start(() => ({ store: { ready: false, reason: 'store not open' } }));
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 503 and every reason until all checks pass, then 200', async () => {
    let discordReady = false;
    const { get } = await start(() => ({
      store: { ready: true },
      discord: discordReady ? { ready: true } : { ready: false, reason: 'discord not connected' },
    }));
    const before = await get('/readyz');
    expect(before.status).toBe(503);
    expect(before.headers.get('content-type')).toBe('application/json');
    expect(await before.json()).toEqual({ status: 'not ready', checks: { store: { ready: true }, discord: { ready: false, reason: 'discord not connected' } } });
    discordReady = true;
    const after = await get('/readyz');
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ready', checks: { store: { ready: true }, discord: { ready: true } } });
  });

  it('serves every Herald metric and the process defaults in Prometheus text format', async () => {
    const { get } = await start(() => ({}));
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of METRIC_NAMES) expect(text, name).toContain(`# TYPE ${name} `);
  });

  it('counts feeds by state at scrape time', async () => {
    const { get, metrics } = await start(() => ({}));
    const feeds = [feed('a'), feed('b'), feed('c', { failures: 2 }), feed('d', { failures: 10, failingPaused: true })];
    metrics.setFeedSource(() => feeds);
    let text = await (await get('/metrics')).text();
    expect(text).toContain('herald_feeds{state="active"} 2');
    expect(text).toContain('herald_feeds{state="failing"} 1');
    expect(text).toContain('herald_feeds{state="paused"} 1');
    feeds.splice(0, 2);
    text = await (await get('/metrics')).text();
    expect(text).toContain('herald_feeds{state="active"} 0');
  });

  it('answers unknown paths and methods with 404 JSON and serves mounted routes', async () => {
    const { get } = await start(() => ({}));
    http!.mount('get', '/extra', (_req, res) => void res.writeHead(204).end());
    expect((await get('/nope')).status).toBe(404);
    expect((await fetch((await get('/healthz')).url, { method: 'POST' })).status).toBe(404);
    expect((await get('/extra')).status).toBe(204);
    expect((await get('/healthz?probe=1')).status).toBe(200);
  });
});
