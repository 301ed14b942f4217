// SIGKILL in the middle of a burst: `npm start` as a real subprocess, killed while Discord
// is slow to answer, then started again on the same database. Every item arrives; at most
// the one message that was in flight when the process died arrives twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FeedServer } from '../fakes/feed-server.js';
import { waitFor } from '../fakes/http-util.js';
import { items } from './fixture.js';
import { sleep, tempSqlite, type TempDb } from './harness.js';

const CH1 = '300000000000000001';
const ROOT = join(import.meta.dirname, '..', '..');

interface Herald {
  child: ChildProcess;
  output: string[];
  exited: Promise<NodeJS.Signals | number | null>;
}

describe('delivery after SIGKILL', () => {
  let discord: FakeDiscord;
  let feeds: FeedServer;
  let db: TempDb;
  const children: Herald[] = [];

  beforeEach(async () => {
    discord = await new FakeDiscord().start();
    feeds = await new FeedServer().start();
    db = tempSqlite();
  });
  afterEach(async () => {
    for (const h of children.splice(0)) {
      if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
      await h.exited;
    }
    await discord.stop();
    await feeds.stop();
    db.cleanup();
    discord.throwIfInvalidRequests();
  });

  /** `npm start` with settings from the environment only (no .env, no config file of the checkout). */
  function startHerald(): Herald {
    const configFile = join(db.dir, 'empty-config.json');
    writeFileSync(configFile, '{}');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: db.dir,
      DISCORD_TOKEN: 'test-token',
      DISCORD_API_URL: discord.apiUrl,
      DATABASE_URL: db.url,
      PORT: '0',
      POLL_INTERVAL: '1s',
      ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/32',
      LOG_LEVEL: process.env.CRASH_LOG_LEVEL ?? 'warn',
      HERALD_CONFIG: configFile,
      HERALD_DOTENV: 'false',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout?.on('data', (b: Buffer) => output.push(b.toString()));
    child.stderr?.on('data', (b: Buffer) => output.push(b.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    const h = { child, output, exited };
    children.push(h);
    return h;
  }

  const ready = (h: Herald, registrations: number) =>
    waitFor(() => (discord.commandRegistrations.length >= registrations && discord.gateway.connected ? true : undefined), 20_000, `Herald to connect\n${h.output.join('')}`);
  const titles = () => discord.messagesIn(CH1).map((m) => (m.body.embeds as { title: string }[])[0]!.title);

  it('delivers all 10 items of a burst with at most one duplicate', async () => {
    const feed = feeds.feed('/burst.xml', 'Burst', items(1, 1));
    const first = startHerald();
    await ready(first, 1);
    const reply = await discord.interact({ name: 'subscribe', options: { feed: feed.url } }).catch((err: Error) => {
      throw new Error(`${err.message}\n${first.output.join('')}`);
    });
    expect(reply.content).toContain('Burst');

    // Discord stores each message but answers slowly, so the kill lands with one in flight.
    discord.messageDelayMs = 400;
    feed.set(items(1, 11));
    await discord.waitForMessages(CH1, 3, 15_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const before = discord.messagesIn(CH1).length;
    expect(before).toBeLessThan(10);

    discord.messageDelayMs = 0;
    const second = startHerald();
    await ready(second, 2);
    await waitFor(() => (new Set(titles()).size >= 10 ? true : undefined), 20_000, `all 10 items\n${second.output.join('')}`);
    await sleep(2000); // anything still to come would be a duplicate

    const got = titles();
    const expected = Array.from({ length: 10 }, (_, i) => `Item ${i + 2}`);
    expect([...new Set(got)]).toEqual(expected); // oldest first, none lost
    expect(got.length - new Set(got).size).toBeLessThanOrEqual(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
