// Slack as a self-hoster meets it: private channels (groups:read), a missing scope named,
// renamed slash commands (SLACK_COMMAND_PREFIX), and slash commands sent during start-up.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FakeSlack, DEFAULT_SCOPES } from '../fakes/slack/index.js';
import { slashOverHttp, type SlashOptions } from '../fakes/slack/slash.js';
import { item, useHerald } from './fixture.js';

const PRIVATE = 'G0PRIVATE1';
const SECRET = 'test-signing-secret-selfhost';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('Slack for self-hosters', () => {
  const w = useHerald(() => new FakeSlack().start());

  const env = (extra: Record<string, string> = {}) => ({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, ...extra });
  const slash = async (o: SlashOptions, port = w.app!.port) => (await slashOverHttp(w.platform, { url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET }, o)).reply!;

  it('subscribes a private channel Herald was invited to, and gives the invite hint where it was not', async () => {
    const feed = w.feeds.feed('/private.xml', 'Private Feed', [item(1)]);
    await w.run(env());
    const uninvited = await slash({ command: '/subscribe', text: feed.url, channelId: PRIVATE });
    expect(uninvited.text).toContain('/invite @Herald');
    expect(w.app!.core.store.subscriptions.list()).toHaveLength(0);

    w.platform.channels.get(PRIVATE)!.isMember = true; // /invite @Herald
    const invited = await slash({ command: '/subscribe', text: feed.url, channelId: PRIVATE });
    expect(invited.text).toMatch(/Subscribed to \*Private Feed\*/);
    expect(w.platform.callsTo('conversations.info').at(-1)?.body.channel).toBe(PRIVATE);
    feed.set([item(2), item(1)]);
    const [post] = await w.platform.waitForPosts(PRIVATE, 1);
    expect(post!.text).toContain('Item 2');
  });

  it('names the missing scope instead of the invite hint when groups:read is not granted', async () => {
    await w.platform.stop();
    const slack = await new FakeSlack({ scopes: DEFAULT_SCOPES.filter((s) => s !== 'groups:read') }).start();
    w.onTeardown(() => slack.stop());
    slack.channels.get(PRIVATE)!.isMember = true;
    const feed = w.feeds.feed('/scope.xml', 'Scope Feed', [item(1)]);
    const app = await w.run({ ...env(), SLACK_API_URL: slack.apiUrl });
    const r = await slashOverHttp(slack, { url: `http://127.0.0.1:${app.port}/slack/events`, signingSecret: SECRET }, { command: '/subscribe', text: feed.url, channelId: PRIVATE });
    expect(r.reply!.text).toContain('`groups:read`');
    expect(r.reply!.text).not.toContain('/invite');
    expect(app.core.store.subscriptions.list()).toHaveLength(0);
  });

  it('accepts commands renamed with SLACK_COMMAND_PREFIX, and shows the renamed names in usage', async () => {
    const feed = w.feeds.feed('/renamed.xml', 'Renamed Feed', [item(1)]);
    await w.run(env({ SLACK_COMMAND_PREFIX: 'herald-' }));
    const sub = await slash({ command: '/herald-subscribe', text: feed.url });
    expect(sub.text).toMatch(/Subscribed to \*Renamed Feed\*/);
    const list = await slash({ command: '/herald-feeds', text: 'list' });
    expect(list.text).toContain('Renamed Feed');
    const help = await slash({ command: '/herald-feeds', text: 'help' });
    expect(help.text).toContain('/herald-feeds list');
    expect((await slash({ command: '/herald-unsubscribe', text: feed.url })).text).toMatch(/Unsubscribed/);
    expect(w.app!.core.store.subscriptions.list()).toHaveLength(0);
  });

  it('holds a slash command that arrives while Slack is still starting, instead of a 404', { timeout: 30_000 }, async () => {
    const feed = w.feeds.feed('/early.xml', 'Early Feed', [item(1)]);
    // bolt calls auth.test twice while starting: Slack is ready about a second after /healthz.
    w.platform.methodDelays.set('auth.test', 500);
    const port = await freePort();
    const starting = w.run(env({ PORT: String(port) }));
    starting.catch(() => undefined);
    let healthy = false;
    for (let i = 0; i < 100 && !healthy; i++) {
      healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (!healthy) await new Promise((r) => setTimeout(r, 20));
    }
    expect(healthy).toBe(true);
    const early = await slashOverHttp(w.platform, { url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET }, { command: '/subscribe', text: feed.url });
    expect(early.status).toBe(200);
    expect(early.reply?.text).toMatch(/Subscribed to \*Early Feed\*/);
    await starting;
  });

  it('answers 503 with Retry-After when Slack is not ready within the hold', { timeout: 30_000 }, async () => {
    w.platform.methodDelays.set('auth.test', 4000);
    const port = await freePort();
    const starting = w.run(env({ PORT: String(port) }));
    starting.catch(() => undefined);
    let healthy = false;
    for (let i = 0; i < 100 && !healthy; i++) {
      healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (!healthy) await new Promise((r) => setTimeout(r, 20));
    }
    const began = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: 'command=%2Ffeeds' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(Date.now() - began).toBeGreaterThanOrEqual(1900);
    await starting;
  });
});
