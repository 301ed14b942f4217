// Caps and the feed-check budget as a user meets them: clear replies on Discord and Slack,
// and an import that subscribes up to the cap and says how many it left out.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeSlack } from '../fakes/slack/index.js';
import { slashOverHttp } from '../fakes/slack/slash.js';
import { item, useHerald } from './fixture.js';

const GUILD = '200000000000000001';
const [CH1, CH2] = ['300000000000000001', '300000000000000002'] as const;
const SECRET = 'test-signing-secret-limits';
const opml = (urls: string[]) => `<?xml version="1.0"?><opml version="2.0"><body>${urls.map((u) => `<outline text="x" xmlUrl="${u}"/>`).join('')}</body></opml>`;

describe('tenant limits on Discord', () => {
  const w = useHerald(() => new FakeDiscord([{ id: GUILD, channels: [CH1, CH2] }]).start());

  it('says when a channel is full, and imports up to the cap', async () => {
    const urls = [1, 2, 3, 4].map((n) => w.feeds.feed(`/cap${n}.xml`, `Cap ${n}`, [item(1)]).url);
    w.feeds.serve('/caps.opml', opml(urls.slice(1)), 'text/x-opml');
    await w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, MAX_SUBSCRIPTIONS_PER_CHANNEL: '2' });
    const ask = (name: string, options: Record<string, string>, channelId: string = CH1, subcommand?: string) => w.platform.interact({ name, options, channelId, ...(subcommand ? { subcommand } : {}) });
    expect((await ask('subscribe', { feed: urls[0]! })).content).toMatch(/^Subscribed/);
    const imported = await ask('feeds', { url: w.feeds.url('/caps.opml') }, CH1, 'import');
    expect(imported.content).toMatch(/1 added, 0 already here, 0 failed, 2 left out/);
    expect(imported.content).toMatch(/2 left out: this channel or server reached the most subscriptions this Herald allows \(2 per channel, 500 per server\)/);
    expect(w.feeds.hitsFor('/cap3.xml') + w.feeds.hitsFor('/cap4.xml')).toBe(0);
    const full = await ask('subscribe', { feed: urls[3]! });
    expect(full.ephemeral).toBe(true);
    expect(full.content).toMatch(/This channel already has 2 subscriptions, the most this Herald allows in one channel \(2\)/);
    expect(w.feeds.hitsFor('/cap4.xml')).toBe(0);
    expect((await ask('subscribe', { feed: urls[3]! }, CH2)).content).toMatch(/^Subscribed/); // another channel has room
  });
});

describe('tenant limits on Slack', () => {
  const w = useHerald(() => new FakeSlack().start());

  it('stops a workspace that asks for too many feed checks a minute, with the time to wait', async () => {
    const urls = [1, 2, 3].map((n) => w.feeds.feed(`/rate${n}.xml`, `Rate ${n}`, [item(1)]).url);
    await w.run({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, FEED_CHECKS_PER_MINUTE: '2' });
    const slash = async (command: string, text: string) =>
      (await slashOverHttp(w.platform, { url: `http://127.0.0.1:${w.app!.port}/slack/events`, signingSecret: SECRET }, { command, text })).reply;
    expect((await slash('/subscribe', urls[0]!))?.text).toMatch(/^Subscribed/);
    const id = w.app!.core.store.subscriptions.list()[0]!.id;
    expect((await slash('/feeds', `preview ${id}`))?.text).toContain('Rate 1');
    const refused = await slash('/subscribe', urls[1]!);
    expect(refused?.response_type).toBe('ephemeral');
    expect(refused?.text).toMatch(/This workspace has used up its feed checks for now \(Herald checks at most 2 feeds a minute for one workspace\)\. Try again in \d+ s\./);
    expect((await slash('/feeds', `preview ${id}`))?.text).toMatch(/used up its feed checks/);
    expect(w.feeds.hitsFor('/rate2.xml')).toBe(0);
  });
});
