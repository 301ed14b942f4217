// Delivery settings on Slack end to end (real Bolt, fake Slack): the feed's own identity,
// user-group pings that reach only that group, and the verbs Slack has no idea of.
import { describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/index.js';
import { slashOverHttp, type SlashOptions } from '../fakes/slack/slash.js';
import { item, useHerald } from './fixture.js';

const NEWS = 'C0PUBLIC01';
const SECRET = 'test-signing-secret-targets';
const GROUP = 'S0RELEASES';

/** Live mentions in Slack text: `<!subteam^…>`, `<!channel>`, `<@U…>` (escaped ones are inert). */
const liveMentions = (text: string) => [...text.matchAll(/<(!subteam\^[A-Z0-9]+|!channel|!here|!everyone|@[A-Z0-9]+)[|>]/g)].map((m) => m[1]);

describe('Slack delivery targets end to end', () => {
  const w = useHerald(() => new FakeSlack().start());
  const start = () => w.run({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
  const slash = async (o: SlashOptions) => (await slashOverHttp(w.platform, { url: `http://127.0.0.1:${w.app!.port}/slack/events`, signingSecret: SECRET }, o)).reply!;
  const feeds = async (text: string) => (await slash({ command: '/feeds', text })).text ?? '';
  const subscribe = async (url: string) => /ID `([a-z0-9]+)`/.exec((await slash({ command: '/subscribe', text: url })).text ?? '')?.[1] ?? '';

  it('posts as the feed (username, icon_url) and pings only the chosen user group', async () => {
    w.platform.scopes.add('chat:write.customize');
    const sneaky = 'Alert <!channel> <!here> <!subteam^S0OTHERS|@others> <@U0MEMBER1>';
    const feed = w.feeds.feed('/slack-id.xml', 'Slack Identity', [item(1)]);
    await start();
    const id = await subscribe(feed.url);
    expect(await feeds(`identity ${id} name:"Release Notes" avatar:<https://example.com/icon.png>`)).toMatch(/appear as “Release Notes”/);
    expect(await feeds(`mention ${id} <!subteam^${GROUP}|@releases>`)).toMatch(new RegExp(`pings the chosen group \\(id ${GROUP}\\)`));
    feed.set([{ ...item(2, sneaky), description: sneaky }, item(1)]);
    const [post] = await w.platform.waitForPosts(NEWS, 1);
    expect(post!.body).toMatchObject({ username: 'Release Notes', icon_url: 'https://example.com/icon.png' });
    expect(liveMentions(post!.text)).toEqual([`!subteam^${GROUP}`]);
    expect(liveMentions(JSON.stringify(post!.blocks ?? []).replace(/\\"/g, '"'))).toEqual([`!subteam^${GROUP}`]);
    expect(post!.text.startsWith(`<!subteam^${GROUP}> `)).toBe(true);
    // Leaving the group out stops the pings; name:reset posts as Herald again.
    await feeds(`mention ${id}`);
    await feeds(`identity ${id} name:reset`);
    feed.set([item(3), { ...item(2, sneaky), description: sneaky }, item(1)]);
    const after = await w.platform.waitForPosts(NEWS, 2);
    expect(liveMentions(after[1]!.text)).toEqual([]);
    expect(after[1]!.body.username).toBeUndefined();
  });

  it('sends a digest of three items as exactly one post', async () => {
    const feed = w.feeds.feed('/slack-digest.xml', 'Slack Digest', [item(1)]);
    await start();
    const id = await subscribe(feed.url);
    expect(await feeds(`digest ${id} 10s`)).toMatch(/posted together every 10s/);
    feed.set([item(4), item(3), item(2), item(1)]);
    const [post] = await w.platform.waitForPosts(NEWS, 1, 20_000);
    expect(post!.text.split('\n')).toEqual(['*Slack Digest*: 3 new items', '• <https://example.com/2|Item 2>', '• <https://example.com/3|Item 3>', '• <https://example.com/4|Item 4>']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.platform.posts.filter((p) => p.channel === NEWS)).toHaveLength(1);
  }, 30_000);

  it('answers not available on Slack for threads and publishing, and explains a missing chat:write.customize', async () => {
    const feed = w.feeds.feed('/slack-na.xml', 'Slack NA', [item(1)]);
    // The fake grants what the manifest asks for; this workspace installed it without the scope.
    w.platform.scopes.delete('chat:write.customize');
    await start();
    const id = await subscribe(feed.url);
    expect(await feeds(`thread ${id} per-item`)).toMatch(/not available on Slack/);
    expect(await feeds(`publish ${id} on`)).toMatch(/not available on Slack/);
    expect(await feeds(`identity ${id} name:Nope`)).toMatch(/lacks the chat:write.customize scope/);
    expect(await feeds(`mention ${id} everyone`)).toMatch(/must be a user group mention/);
  });
});
