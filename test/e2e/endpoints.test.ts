// /healthz, /readyz and /metrics of a running Herald (in-process) against the fake Discord.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FeedServer } from '../fakes/feed-server.js';
import { readBody } from '../fakes/http-util.js';
import { METRIC_NAMES } from '../http/metric-names.js';
import { useHerald } from './fixture.js';
import { runHerald, sleep } from './harness.js';

const CH1 = '300000000000000001';

/** Polls an async check until it returns a value (waitFor in http-util is synchronous). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Forwards REST calls to the fake Discord but holds GET /gateway/bot until released. */
async function gatedProxy(target: string): Promise<{ server: Server; apiUrl: string; release(): void }> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const server = createServer((req, res) => {
    void (async () => {
      if (req.url?.endsWith('/gateway/bot')) await gate;
      const body = await readBody(req);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      const up = await fetch(`${target}${req.url}`, { method: req.method ?? 'GET', headers, ...(body.length ? { body } : {}) });
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await up.arrayBuffer()));
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, release };
}

describe('operational endpoints of a running Herald', () => {
  const w = useHerald(() => new FakeDiscord().start(), { feeds: false });

  it('is live at once, and ready (200) only after the store opened and Discord connected', async () => {
    const proxy = await gatedProxy(w.platform.url);
    const port = await new Promise<number>((r) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const free = (s.address() as AddressInfo).port;
        s.close(() => r(free));
      });
    });
    const started = runHerald({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: proxy.apiUrl, DATABASE_URL: w.db.url, PORT: String(port) });
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
    await eventually(async () => ((await get('/healthz')).status === 200 ? true : undefined), '/healthz');
    const notReady = await get('/readyz');
    expect(notReady.status).toBe(503);
    const body = (await notReady.json()) as { status: string; checks: Record<string, { ready: boolean; reason?: string }> };
    expect(body.status).toBe('not ready');
    expect(body.checks.discord).toEqual({ ready: false, reason: expect.stringMatching(/^discord not (started|connected)$/) });
    proxy.release();
    w.app = await started;
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: { ready: true }, discord: { ready: true } } });
    proxy.server.closeAllConnections();
    proxy.server.close();
  });

  it('reports feeds, polls, fetch time, deliveries, latency, queue depth and 429s on /metrics', async () => {
    const feeds = await new FeedServer().start();
    try {
      const feed = feeds.feed('/m.xml', 'Metrics', [{ title: 'One', guid: 'g1', link: 'https://example.com/1' }]);
      await w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
      const metrics = async () => (await fetch(`http://127.0.0.1:${w.app!.port}/metrics`)).text();
      const first = await metrics();
      for (const name of METRIC_NAMES) expect(first, name).toContain(`# TYPE ${name} `);
      expect(first).toContain('herald_feeds{state="active"} 0');

      await w.platform.interact({ name: 'subscribe', options: { feed: feed.url } });
      w.platform.fault(CH1, { status: 429, retryAfter: 0.05, times: 1 });
      feed.set([{ title: 'Two', guid: 'g2', link: 'https://example.com/2' }, ...feed.items]);
      await w.platform.waitForMessages(CH1, 1);
      // The counter moves just before the outbox row goes: wait for both.
      const done = (t: string) => t.includes('herald_items_delivered_total{platform="discord"} 1') && t.includes('herald_delivery_queue_depth 0');
      const text = await eventually(async () => {
        const t = await metrics();
        return done(t) ? t : undefined;
      }, 'delivery metrics');
      expect(text).toContain('herald_feeds{state="active"} 1');
      expect(text).toMatch(/herald_polls_total\{result="new-items"\} [1-9]/);
      expect(text).toMatch(/herald_fetch_duration_seconds_count [1-9]/);
      expect(text).toContain('herald_delivery_latency_seconds_count{platform="discord"} 1');
      expect(text).toMatch(/herald_platform_rate_limited_total\{platform="discord"\} [1-9]/);
    } finally {
      await feeds.stop();
    }
  });
});
