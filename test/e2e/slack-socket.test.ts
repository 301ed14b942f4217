// Slack in Socket Mode (apps.connections.open + WebSocket envelopes on the fake), and one
// Herald serving Discord and Slack at once from the same core.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeSlack } from '../fakes/slack/index.js';
import { slashOverSocket } from '../fakes/slack/slash.js';
import { item, useHerald } from './fixture.js';

const NEWS = 'C0PUBLIC01';
const DISCORD_CH = '300000000000000001';

describe('Slack Socket Mode, and Slack beside Discord', () => {
  const w = useHerald(() => new FakeSlack().start());

  const socketEnv = () => ({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_APP_TOKEN: 'xapp-1-test', SLACK_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });

  it('connects through SLACK_API_URL, acks the envelope, subscribes and delivers once', async () => {
    const feed = w.feeds.feed('/socket.xml', 'Socket Feed', [item(1)]);
    const app = await w.run(socketEnv());
    const open = w.platform.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.authorization).toBe('Bearer xapp-1-test');
    expect(w.platform.socket.connected).toBe(1);

    const r = await slashOverSocket(w.platform, { command: '/subscribe', text: `<${feed.url}>` });
    expect(r.ackMs).toBeLessThan(3000); // real time is the point: Slack's own ack deadline
    expect(r.reply?.text).toMatch(/Subscribed to \*Socket Feed\*/);
    expect(r.reply?.response_type).toBe('in_channel');
    feed.set([item(2), item(1)]);
    const posted = await w.platform.waitForPosts(NEWS, 1);
    expect(posted[0]!.text).toContain('Item 2');
    await w.feeds.polledAgain('/socket.xml');
    expect(w.platform.postsIn(NEWS)).toHaveLength(1);
    const ready = await fetch(`http://127.0.0.1:${app.port}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('serves Discord and Slack from one process: one fetch per interval, posts to both', async () => {
    const discord = await new FakeDiscord().start();
    w.onTeardown(() => discord.stop());
    const feed = w.feeds.feed('/both.xml', 'Both', [item(1)]);
    const app = await w.run({ ...socketEnv(), DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl });
    expect(app.adapters.map((a) => a.name).sort()).toEqual(['discord', 'slack']);
    await discord.interact({ name: 'subscribe', options: { feed: feed.url } });
    await slashOverSocket(w.platform, { command: '/subscribe', text: feed.url });
    expect(app.core.store.feeds.list()).toHaveLength(1);

    // One fetch per 1 s interval, not one per platform: three fetches span at least two
    // intervals, where one per platform would fit them into about one. A lower bound on time,
    // which a busy machine can only lengthen.
    const t0 = Date.now();
    await w.feeds.polledAgain('/both.xml', 3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1800);
    feed.set([item(2), item(1)]);
    const [d, s] = await Promise.all([discord.waitForMessages(DISCORD_CH, 1), w.platform.waitForPosts(NEWS, 1)]);
    expect((d[0]!.body.embeds as { title: string }[])[0]!.title).toBe('Item 2');
    expect(s[0]!.text).toContain('Item 2');
  });
});
