// `npm start` as a real process: start-up line, refusal without a platform, no token in the
// logs, and a SIGTERM in the middle of deliveries that loses nothing across a restart.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FeedServer, type TestItem } from '../fakes/feed-server.js';
import { waitFor } from '../fakes/http-util.js';
import { tempSqlite, type TempDb } from './harness.js';
import { isStartLine, spawnHerald, type HeraldProcess } from './subprocess.js';

const CH1 = '300000000000000001';
const TOKEN = 'discord-secret-token-0123456789';
const item = (n: number): TestItem => ({ title: `Item ${n}`, guid: `guid-${n}`, link: `https://example.com/${n}`, pubDate: new Date(Date.UTC(2026, 0, n)) });
const titles = (d: FakeDiscord) => d.messagesIn(CH1).map((m) => (m.body.embeds as { title: string }[])[0]!.title);

describe('Herald as a process', () => {
  let discord: FakeDiscord;
  let feeds: FeedServer;
  let db: TempDb;
  const procs: HeraldProcess[] = [];

  beforeAll(async () => {
    feeds = await new FeedServer().start();
  });
  afterAll(async () => feeds.stop());
  beforeEach(async () => {
    discord = await new FakeDiscord().start();
    db = tempSqlite();
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await discord.stop();
    db.cleanup();
    discord.throwIfInvalidRequests();
  });

  const start = (extra: Record<string, string> = {}) => {
    const p = spawnHerald({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      DATABASE_URL: db.url,
      PORT: '0',
      POLL_INTERVAL: '1s',
      ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/32',
      LOG_LEVEL: 'debug',
      ...extra,
    });
    procs.push(p);
    return p;
  };

  it('starts with a Discord token alone: one start line, commands registered, /subscribe served, /healthz up', { timeout: 60_000 }, async () => {
    const feed = feeds.feed('/start.xml', 'Start Feed', [item(1)]);
    const p = start();
    const line = await p.waitForLog(isStartLine);
    expect(line).toMatchObject({ version: expect.any(String), platforms: ['discord'], store: 'sqlite', feeds: 0 });
    expect(p.logs().filter(isStartLine)).toHaveLength(1);
    expect(discord.commandRegistrations).toHaveLength(1);
    const reply = await discord.interact({ name: 'subscribe', options: { feed: feed.url } });
    expect(reply.content).toContain('Start Feed');
    expect((await fetch(`http://127.0.0.1:${String(line.port)}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(p.output()).not.toContain(TOKEN);
  });

  it('exits 1 naming DISCORD_TOKEN and SLACK_BOT_TOKEN when no platform is configured', async () => {
    const p = spawnHerald({ DATABASE_URL: db.url, PORT: '0' });
    procs.push(p);
    const { code } = await p.exited;
    expect(code).toBe(1);
    expect(p.output()).toContain('DISCORD_TOKEN');
    expect(p.output()).toContain('SLACK_BOT_TOKEN');
    expect(discord.requests).toHaveLength(0);
  });

  it('stops within 10 s on SIGTERM during deliveries, exits 0, and delivers every item after a restart', { timeout: 90_000 }, async () => {
    const feed = feeds.feed('/term.xml', 'Term', [item(1)]);
    const first = start();
    await first.waitForLog(isStartLine);
    await discord.interact({ name: 'subscribe', options: { feed: feed.url } });
    // Discord answers 429 (retry after 1 s) many times: sends are under way when SIGTERM arrives.
    discord.fault(CH1, { status: 429, retryAfter: 1, times: 20 });
    feed.set([6, 5, 4, 3, 2].map(item).concat(feed.items));
    await first.waitForLog((l) => l.msg === 'new items queued');
    const t0 = Date.now();
    first.child.kill('SIGTERM');
    const { code, at } = await first.exited;
    expect(code).toBe(0);
    // Real time is the point: the promised 10 s stop (main.ts force-exits at 9 s).
    expect(at - t0).toBeLessThan(10_000);
    expect(first.logs().some((l) => l.msg === 'Herald stopped')).toBe(true);
    const before = titles(discord).length;
    expect(before).toBeLessThan(5);

    discord.fault(CH1, undefined);
    const second = start();
    await second.waitForLog(isStartLine);
    await discord.waitForMessages(CH1, 5, 15_000);
    expect(new Set(titles(discord))).toEqual(new Set(['Item 2', 'Item 3', 'Item 4', 'Item 5', 'Item 6']));
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
    for (const p of [first, second]) expect(p.output()).not.toContain(TOKEN);
  });

  it('exits 0 on SIGTERM while still connecting to an unresponsive Discord', { timeout: 60_000 }, async () => {
    let asked = 0;
    const silent = createServer(() => void asked++); // accepts requests, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const p = start({ DISCORD_API_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api` });
      await waitFor(() => asked || undefined, 20_000, 'Herald to call Discord');
      const t0 = Date.now();
      p.child.kill('SIGTERM');
      const { code, at } = await p.exited;
      expect(code).toBe(0);
      // It stopped by itself, not through main.ts's 9 s watchdog: a log line, not a tight clock
      // bound, so a busy machine cannot fail it; the 10 s promise holds as well.
      expect(p.logs().some((l) => l.msg === 'shutdown took too long; exiting (unsent deliveries stay in the outbox)')).toBe(false);
      expect(at - t0).toBeLessThan(10_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('refuses to start a second Herald on the same store, naming the running one', { timeout: 60_000 }, async () => {
    const first = start();
    await first.waitForLog(isStartLine);
    const second = start();
    const { code } = await second.exited;
    expect(code).toBe(1);
    expect(second.output()).toContain('Another Herald instance is using this store');
    expect(second.output()).toContain(`pid ${first.child.pid}`);
    expect(first.child.exitCode).toBeNull(); // the running one is untouched
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
  });
});
