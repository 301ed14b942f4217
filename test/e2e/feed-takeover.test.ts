// Issue 11, item 2 end to end: feed A answers 301 → B until Herald moves the feed; a victim
// guild subscribes to B; A serves its own content again and an attacker guild subscribes
// to A. The victim's channel keeps getting B's items, and only B's.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { rss } from '../fakes/feed-server.js';
import { item, useHerald } from './fixture.js';
import { sleep } from './harness.js';

const FIRST = '310000000000000001';
const VICTIM = '310000000000000002';
const ATTACKER = '310000000000000003';
const titles = (ms: { body: Record<string, unknown> }[]) => ms.map((m) => (m.body.embeds as { title: string }[] | undefined)?.[0]?.title ?? String(m.body.content));

describe('a moved feed cannot be taken over through its old URL', () => {
  const w = useHerald(() => new FakeDiscord().start());

  it('keeps posting B to the victim after the attacker subscribes to A', async () => {
    let aItems = [item(1, 'A one')];
    let bItems = [item(11, 'B one')];
    let aRedirects = false;
    const b = w.feeds.route('/b.xml', (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Feed B', bItems)));
    const a = w.feeds.route('/a.xml', (_q, res) =>
      aRedirects ? res.writeHead(301, { location: b }).end() : res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Feed A', aItems)),
    );
    await w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
    const subscribe = (url: string, channelId: string, guildId: string) => w.platform.interact({ name: 'subscribe', options: { feed: url }, channelId, guildId });

    await subscribe(a, FIRST, '320000000000000001');
    aRedirects = true;
    // Three polls in a row must see the redirect before the feed moves; B's item shows the move.
    await w.platform.waitForMessages(FIRST, 1, 20_000);
    const listed = async () => (await w.platform.interact({ name: 'feeds', subcommand: 'list', options: {}, channelId: FIRST, guildId: '320000000000000001' })).content;
    for (let i = 0; i < 100 && !(await listed()).includes('/b.xml'); i++) await sleep(200);
    expect(await listed()).toContain('/b.xml');

    await subscribe(b, VICTIM, '320000000000000002');
    aRedirects = false;
    aItems = [item(2, 'A two'), ...aItems];
    const taken = await subscribe(a, ATTACKER, '320000000000000003');
    expect(taken.content).toMatch(/Feed A/);

    bItems = [item(12, 'B two'), ...bItems];
    aItems = [item(3, 'A three'), ...aItems];
    await w.platform.waitForMessages(VICTIM, 1);
    await w.platform.waitForMessages(ATTACKER, 1);
    await sleep(2500);
    expect(titles(w.platform.messagesIn(VICTIM))).toEqual(['B two']);
    expect(titles(w.platform.messagesIn(ATTACKER))).toEqual(['A three']);
    expect(titles(w.platform.messagesIn(FIRST))).toEqual(['B one', 'B two']);
  });
});
