// Slack in HTTP mode end to end: real bolt behind Herald's one HTTP server, the fake Slack
// Web API for posting, signed slash commands, feeds from a local server.
import { describe, expect, it } from 'vitest';
import { rss } from '../fakes/feed-server.js';
import { FakeSlack } from '../fakes/slack/index.js';
import { slashOverHttp, type SlashOptions } from '../fakes/slack/slash.js';
import { item, useHerald } from './fixture.js';
import { sleep } from './harness.js';

const NEWS = 'C0PUBLIC01';
const SECRET = 'test-signing-secret-123';

describe('Slack (HTTP mode) end to end', () => {
  const w = useHerald(() => new FakeSlack().start());

  const start = (env: Record<string, string> = {}) =>
    w.run({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, ...env });
  const target = () => ({ url: `http://127.0.0.1:${w.app!.port}/slack/events`, signingSecret: SECRET });
  const slash = (o: SlashOptions) => slashOverHttp(w.platform, target(), o);

  it('acks /subscribe at once, then posts 2 new items oldest first with feed text escaped', async () => {
    const feed = w.feeds.feed('/a.xml', 'Feed A', [item(1)]);
    await start();
    const r = await slash({ command: '/subscribe', text: feed.url });
    expect(r.status).toBe(200);
    expect(r.ackBody).toBe('');
    expect(r.ackMs).toBeLessThan(3000); // real time is the point: Slack's own ack deadline
    expect(r.reply?.response_type).toBe('in_channel');
    expect(r.reply?.text).toMatch(/Subscribed to \*Feed A\*/);
    // An RSS text title (the feed server escapes it once): it reaches Slack as the characters `<!channel> & <b>`, inert.
    feed.set([item(3, '<!channel> & <b>'), item(2), item(1)]);
    const posted = await w.platform.waitForPosts(NEWS, 2);
    await w.feeds.polledAgain('/a.xml');
    expect(w.platform.postsIn(NEWS)).toHaveLength(2);
    expect(posted[0]!.text).toContain('Item 2');
    expect(posted[1]!.text).toContain('&lt;!channel&gt; &amp; &lt;b&gt;');
    expect(JSON.stringify(posted[1]!.blocks)).toContain('&lt;!channel&gt; &amp; &lt;b&gt;');
    expect(JSON.stringify(posted[1]!.blocks)).not.toContain('<!channel>');
    expect(posted[0]!.body.unfurl_links).toBe('false');
  });

  it('acks within 3 s even when the command takes longer, and answers through response_url', async () => {
    const doc = rss('Slow Feed', [item(1)]);
    let feedAnswered = false;
    const url = w.feeds.route('/slow.xml', (_req, res) => void setTimeout(() => ((feedAnswered = true), res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(doc)), 3500));
    await start();
    const r = await slashOverHttp(w.platform, target(), { command: '/subscribe', text: url }, { expectReply: false });
    const ackedAt = Date.now();
    expect(r.status).toBe(200);
    // Order, not a tight bound: the ack did not wait for the feed; and Slack's 3 s deadline held.
    expect(feedAnswered).toBe(false);
    expect(r.ackMs).toBeLessThan(3000);
    const reply = await w.platform.waitForResponse(r.responseId);
    expect(reply.text).toMatch(/Subscribed to \*Slow Feed\*/);
    expect(reply.at - ackedAt).toBeGreaterThan(2000);
  });

  it('accepts URLs the way Slack sends them: <url> and <url|label>, positional or feed:', async () => {
    const a = w.feeds.feed('/wrapped-a.xml', 'Wrapped A', [item(1)]);
    const b = w.feeds.feed('/wrapped-b.xml', 'Wrapped B', [item(1)]);
    await start();
    expect((await slash({ command: '/subscribe', text: `<${a.url}|${a.url.replace('http://', '')}>` })).reply?.text).toMatch(/Subscribed to \*Wrapped A\*/);
    expect((await slash({ command: '/subscribe', text: `feed:<${b.url}> backfill:1` })).reply?.text).toMatch(/Subscribed to \*Wrapped B\*/);
    await w.platform.waitForPosts(NEWS, 1);
    const list = await slash({ command: '/feeds', text: 'list' });
    expect(list.reply?.response_type).toBe('ephemeral');
    expect(list.reply?.text).toContain('Wrapped A');
    expect(list.reply?.text).toContain('Wrapped B');
  });

  it('answers a bad or stale signature with 401 and changes nothing', async () => {
    const feed = w.feeds.feed('/forged.xml', 'Forged', [item(1)]);
    await start();
    const forged = await slashOverHttp(w.platform, target(), { command: '/subscribe', text: feed.url }, { secret: 'wrong-secret' });
    expect(forged.status).toBe(401);
    const stale = await slashOverHttp(w.platform, target(), { command: '/subscribe', text: feed.url }, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    await sleep(500);
    expect(w.feeds.hitsFor('/forged.xml')).toBe(0);
    expect(w.platform.responses.get(forged.responseId)).toEqual([]);
    expect(w.platform.responses.get(stale.responseId)).toEqual([]);
    expect(w.app!.core.store.subscriptions.list()).toHaveLength(0);
  });

  it('re-posts nothing after a restart with the same database', async () => {
    const feed = w.feeds.feed('/restart.xml', 'Restart', [item(1)]);
    await start();
    await slash({ command: '/subscribe', text: feed.url });
    feed.set([item(2), item(1)]);
    await w.platform.waitForPosts(NEWS, 1);
    await w.app!.stop();
    await start();
    await w.feeds.polledAgain('/restart.xml');
    expect(w.platform.postsIn(NEWS)).toHaveLength(1);
    feed.set([item(3), item(2), item(1)]);
    await w.platform.waitForPosts(NEWS, 2);
    await w.feeds.polledAgain('/restart.xml');
    expect(w.platform.postsIn(NEWS)).toHaveLength(2);
  });
});
