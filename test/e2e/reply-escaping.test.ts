// Feed text quoted in command replies reads literally on both platforms: a feed titled like
// a markdown link never becomes a masked link (Discord) or <url|label> (Slack).
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeSlack } from '../fakes/slack/index.js';
import { slashOverHttp } from '../fakes/slack/slash.js';
import { item, useHerald } from './fixture.js';

const MASKED = '[Verify your account](https://evil.example/login)';
const ITEM = '**Urgent** [click](https://evil.example/x) <!channel>';
const GUILD = '200000000000000001';
const CH = '300000000000000001';
const SECRET = 'test-signing-secret-789';

/** Discord reads `[label](url)` as a masked link unless a bracket is escaped. */
const discordMasked = (s: string) => /(?<!\\)\[[^\]\n]*(?<!\\)\]\(/.test(s);
const page = (feedUrl: string) =>
  `<!DOCTYPE html><html><head><title>x</title><link rel="alternate" type="application/rss+xml" title="${MASKED}" href="${feedUrl}"><link rel="alternate" type="application/atom+xml" title="second" href="/second.xml"></head><body></body></html>`;
const opml = (feedUrl: string) => `<?xml version="1.0"?><opml version="2.0"><head><title>${MASKED}</title></head><body><outline text="x" title="${MASKED}" xmlUrl="${feedUrl}"/></body></opml>`;

describe('feed text in Discord command replies', () => {
  const w = useHerald(() => new FakeDiscord([{ id: GUILD, channels: [CH] }]).start());

  it('escapes feed and item titles in subscribe, list, preview, pause, resume, unsubscribe, discovery and import', async () => {
    const feed = w.feeds.feed('/masked.xml', MASKED, [item(1, ITEM)]);
    w.feeds.serve('/page', page(w.feeds.url('/masked-too.xml')), 'text/html');
    w.feeds.feed('/masked-too.xml', MASKED, [item(1)]);
    w.feeds.serve('/list.opml', opml(w.feeds.url('/missing.xml')), 'text/x-opml');
    await w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
    const ask = (name: string, options: Record<string, string> = {}, subcommand?: string) => w.platform.interact({ name, options, channelId: CH, ...(subcommand ? { subcommand } : {}) });

    const replies = [await ask('subscribe', { feed: feed.url })];
    const id = w.app!.core.store.subscriptions.list()[0]!.id;
    replies.push(
      await ask('feeds', { feed: id }, 'preview'),
      await ask('feeds', {}, 'list'),
      await ask('feeds', { feed: 'all' }, 'pause'),
      await ask('feeds', { feed: 'all' }, 'resume'),
      await ask('subscribe', { feed: w.feeds.url('/page') }),
      await ask('feeds', { url: w.feeds.url('/list.opml') }, 'import'),
      await ask('unsubscribe', { feed: feed.url }),
    );
    for (const r of replies) {
      expect(discordMasked(r.content), r.content).toBe(false);
      expect(r.content).not.toContain('**Urgent**');
    }
    expect(replies[0]!.content).toContain('\\[Verify your account\\](https://evil.example/login)');
    expect(replies[0]!.content).toContain('\\*\\*Urgent\\*\\*');
    expect(replies[5]!.content).toMatch(/Found 2 feeds/);
    expect(replies[6]!.content).toMatch(/1 failed/);
    expect(replies[1]!.content).toContain('\\*\\*Urgent\\*\\*');
  });
});

describe('feed text in Slack command replies', () => {
  const w = useHerald(() => new FakeSlack().start());

  it('escapes feed and item titles so none becomes <url|label>', async () => {
    const feed = w.feeds.feed('/masked.xml', MASKED, [item(1, ITEM)]);
    w.feeds.serve('/page', page(w.feeds.url('/masked-too.xml')), 'text/html');
    w.feeds.feed('/masked-too.xml', MASKED, [item(1)]);
    w.feeds.serve('/list.opml', opml(w.feeds.url('/missing.xml')), 'text/x-opml');
    await w.run({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
    const slash = async (command: string, text: string) =>
      (await slashOverHttp(w.platform, { url: `http://127.0.0.1:${w.app!.port}/slack/events`, signingSecret: SECRET }, { command, text })).reply?.text ?? '';

    const replies = [
      await slash('/subscribe', feed.url),
      await slash('/feeds', 'list'),
      await slash('/feeds', 'pause all'),
      await slash('/feeds', 'resume all'),
      await slash('/subscribe', w.feeds.url('/page')),
      await slash('/feeds', `import ${w.feeds.url('/list.opml')}`),
    ];
    const id = w.app!.core.store.subscriptions.list()[0]!.id;
    replies.push(await slash('/feeds', `preview ${id}`));
    replies.push(await slash('/unsubscribe', feed.url));
    for (const r of replies) {
      expect(r).not.toContain('|Verify your account>');
      expect(r).not.toContain('|click>');
      expect(r).not.toContain('<!channel>');
    }
    expect(replies[0]).toContain(MASKED);
    expect(replies[0]).toContain('**Urgent**'); // literal, not bold
    expect(replies[0]).toContain('&lt;!channel&gt;');
    expect(replies[6]).toContain('**Urgent**');
    expect(replies[4]).toMatch(/Found 2 feeds/);
    expect(replies[5]).toMatch(/1 failed/);
  });
});
