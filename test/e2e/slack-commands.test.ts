// The neutral commands typed as Slack text: usage help, name:value options, quoting,
// file replies, and SLACK_ADMINS_ONLY.
import { describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/index.js';
import { slashOverHttp, type SlashOptions } from '../fakes/slack/slash.js';
import { item, useHerald } from './fixture.js';

const NEWS = 'C0PUBLIC01';
const SECRET = 'test-signing-secret-789';

describe('Slack commands', () => {
  const w = useHerald(() => new FakeSlack().start());

  const start = (env: Record<string, string> = {}) =>
    w.run({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, ...env });
  const slash = async (o: SlashOptions) => (await slashOverHttp(w.platform, { url: `http://127.0.0.1:${w.app!.port}/slack/events`, signingSecret: SECRET }, o)).reply!;

  it('parses text into the neutral options and answers mistakes with usage', async () => {
    const feed = w.feeds.feed('/cmd.xml', 'Cmd Feed', [item(1)]);
    await start();
    const empty = await slash({ command: '/subscribe' });
    expect(empty.response_type).toBe('ephemeral');
    expect(empty.text).toContain('Missing feed');
    expect(empty.text).toContain('/subscribe &lt;feed&gt; [backfill:&lt;n&gt;]');
    const groupHelp = await slash({ command: '/feeds', text: 'help' });
    expect(groupHelp.text).toContain('/feeds list');
    expect(groupHelp.text).toContain('/feeds template &lt;feed&gt; text:&lt;text&gt;');
    expect((await slash({ command: '/subscribe', text: `${feed.url} backfill:eleven` })).text).toMatch(/backfill must be a whole number/);

    const sub = await slash({ command: '/subscribe', text: feed.url });
    const id = /ID `([a-z0-9]+)`/.exec(sub.text ?? '')?.[1];
    expect(id).toBeTruthy();
    const set = await slash({ command: '/feeds', text: `template ${id} text:"New: {title} & more"` });
    expect(set.text).toMatch(/Template set/);
    feed.set([item(2), item(1)]);
    const [post] = await w.platform.waitForPosts(NEWS, 1);
    expect(post!.text).toContain('New: Item 2 &amp; more');

    const exported = await slash({ command: '/feeds', text: 'export' });
    expect(exported.response_type).toBe('ephemeral');
    // An ephemeral reply must not upload a file for the whole channel: the OPML comes inline.
    expect(exported.text).toContain('```');
    expect(exported.text).toContain('&lt;opml');
    expect(w.platform.callsTo('files.getUploadURLExternal')).toHaveLength(0);

    expect((await slash({ command: '/unsubscribe', text: id! })).text).toMatch(/Unsubscribed/);
    expect(w.app!.core.store.subscriptions.list()).toHaveLength(0);
  });

  it('with SLACK_ADMINS_ONLY, lets only admins and owners manage feeds; anyone may list', async () => {
    const feed = w.feeds.feed('/admins.xml', 'Admins', [item(1)]);
    await start({ SLACK_ADMINS_ONLY: 'true' });
    const denied = await slash({ command: '/subscribe', text: feed.url, userId: 'U0MEMBER1' });
    expect(denied.response_type).toBe('ephemeral');
    expect(denied.text).toMatch(/only Slack admins and owners/);
    expect(w.feeds.hitsFor('/admins.xml')).toBe(0);
    expect((await slash({ command: '/feeds', text: 'list', userId: 'U0MEMBER1' })).text).toMatch(/no subscriptions/);
    expect((await slash({ command: '/subscribe', text: feed.url, userId: 'U0ADMIN01' })).text).toMatch(/Subscribed/);
    expect((await slash({ command: '/feeds', text: `pause ${feed.url}`, userId: 'U0OWNER01' })).text).toMatch(/Paused/);
    expect((await slash({ command: '/feeds', text: 'resume all', userId: 'U0MEMBER1' })).text).toMatch(/only Slack admins/);
    // One users.info per person: the answer is cached.
    expect(w.platform.callsTo('users.info').map((c) => c.body.user)).toEqual(['U0MEMBER1', 'U0ADMIN01', 'U0OWNER01']);
  });
});
