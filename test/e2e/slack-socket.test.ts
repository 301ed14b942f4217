// Slack in Socket Mode (apps.connections.open + WebSocket envelopes on the fake), and one
// Herald serving Discord and Slack at once from the same core.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HeraldApp } from '../../src/app.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FeedServer, type TestItem } from '../fakes/feed-server.js';
import { FakeSlack } from '../fakes/slack/index.js';
import { slashOverSocket } from '../fakes/slack/slash.js';
import { runHerald, sleep, tempSqlite, type TempDb } from './harness.js';

const NEWS = 'C0PUBLIC01';
const DISCORD_CH = '300000000000000001';
const item = (n: number): TestItem => ({ title: `Item ${n}`, link: `https://example.com/${n}`, guid: `guid-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)) });

describe('Slack Socket Mode, and Slack beside Discord', () => {
  let slack: FakeSlack;
  let feeds: FeedServer;
  let db: TempDb;
  let app: HeraldApp | undefined;
  let discord: FakeDiscord | undefined;

  beforeAll(async () => {
    feeds = await new FeedServer().start();
  });
  afterAll(async () => feeds.stop());
  beforeEach(async () => {
    slack = await new FakeSlack().start();
    db = tempSqlite();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await discord?.stop();
    discord = undefined;
    await slack.stop();
    db.cleanup();
  });

  const socketEnv = () => ({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_APP_TOKEN: 'xapp-1-test', SLACK_API_URL: slack.apiUrl, DATABASE_URL: db.url });

  it('connects through SLACK_API_URL, acks the envelope, subscribes and delivers once', async () => {
    const feed = feeds.feed('/socket.xml', 'Socket Feed', [item(1)]);
    app = await runHerald(socketEnv());
    const open = slack.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.authorization).toBe('Bearer xapp-1-test');
    expect(slack.socket.connected).toBe(1);

    const r = await slashOverSocket(slack, { command: '/subscribe', text: `<${feed.url}>` });
    expect(r.ackMs).toBeLessThan(3000);
    expect(r.reply?.text).toMatch(/Subscribed to \*Socket Feed\*/);
    expect(r.reply?.response_type).toBe('in_channel');
    feed.set([item(2), item(1)]);
    const posted = await slack.waitForPosts(NEWS, 1);
    expect(posted[0]!.text).toContain('Item 2');
    await sleep(2000);
    expect(slack.postsIn(NEWS)).toHaveLength(1);
    const ready = await fetch(`http://127.0.0.1:${app.port}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('serves Discord and Slack from one process: one fetch per interval, posts to both', async () => {
    discord = await new FakeDiscord().start();
    const feed = feeds.feed('/both.xml', 'Both', [item(1)]);
    app = await runHerald({ ...socketEnv(), DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl });
    expect(app.adapters.map((a) => a.name).sort()).toEqual(['discord', 'slack']);
    await discord.interact({ name: 'subscribe', options: { feed: feed.url } });
    await slashOverSocket(slack, { command: '/subscribe', text: feed.url });
    expect(app.core.store.feeds.list()).toHaveLength(1);

    const before = feeds.hitsFor('/both.xml');
    await sleep(3500);
    const polls = feeds.hitsFor('/both.xml') - before;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(4); // one fetch per 1 s interval, not one per platform
    feed.set([item(2), item(1)]);
    const [d, s] = await Promise.all([discord.waitForMessages(DISCORD_CH, 1), slack.waitForPosts(NEWS, 1)]);
    expect((d[0]!.body.embeds as { title: string }[])[0]!.title).toBe('Item 2');
    expect(s[0]!.text).toContain('Item 2');
  });
});
