// The walking skeleton end to end: real discord.js against the fake Discord, feeds from a local server.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { item, useHerald } from './fixture.js';
import { sleep } from './harness.js';

const CH1 = '300000000000000001';
const CH2 = '300000000000000002';

describe('Discord end to end', () => {
  const w = useHerald(() => new FakeDiscord().start());

  // DNS stays on this machine: one made-up name that does not exist, loopback names resolve as usual.
  const resolveHost = async (host: string) => {
    if (host === 'no-such-host.example') throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return [{ address: '127.0.0.1', family: 4 as const }];
  };
  const start = () => w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url }, { resolveHost });

  it('registers commands, subscribes, and posts 2 new items oldest first, once', async () => {
    const feed = w.feeds.feed('/a.xml', 'Feed A', [item(2), item(1)]);
    await start();
    expect(w.platform.commandRegistrations[0]?.path).toMatch(/^\/applications\/\d+\/commands$/);
    const reply = await w.platform.interact({ name: 'subscribe', options: { feed: feed.url } });
    expect(reply.content).toContain('Feed A');
    expect(reply.content).toContain('Item 2');
    feed.set([item(4), item(3), item(2), item(1)]);
    const posted = await w.platform.waitForMessages(CH1, 2);
    await sleep(2500);
    expect(w.platform.messagesIn(CH1)).toHaveLength(2);
    expect(posted.map((m) => (m.body.embeds as { title: string }[])[0]!.title)).toEqual(['Item 3', 'Item 4']);
    expect(posted[0]!.body.allowed_mentions).toEqual({ parse: [] });
    expect(posted[0]!.body.content).toContain('https://example.com/3');
  });

  it('fetches a feed once per interval however many channels subscribe, and each channel gets its posts', async () => {
    const feed = w.feeds.feed('/shared.xml', 'Shared', [item(1)]);
    await start();
    await w.platform.interact({ name: 'subscribe', options: { feed: feed.url }, channelId: CH1 });
    await w.platform.interact({ name: 'subscribe', options: { feed: feed.url }, channelId: CH2 });
    const before = w.feeds.hitsFor('/shared.xml');
    await sleep(4000);
    const polls = w.feeds.hitsFor('/shared.xml') - before;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(5); // 4 s at 1 s: one fetch per interval, not one per channel
    feed.set([item(2), item(1)]);
    await w.platform.waitForMessages(CH1, 1);
    await w.platform.waitForMessages(CH2, 1);
  });

  it('re-posts nothing after a restart with the same database, and posts what is new once', async () => {
    const feed = w.feeds.feed('/restart.xml', 'Restart', [item(1)]);
    await start();
    await w.platform.interact({ name: 'subscribe', options: { feed: feed.url } });
    feed.set([item(2), item(1)]);
    await w.platform.waitForMessages(CH1, 1);
    await w.app!.stop();
    await start();
    await sleep(2500);
    expect(w.platform.messagesIn(CH1)).toHaveLength(1);
    feed.set([item(3), item(2), item(1)]);
    await w.platform.waitForMessages(CH1, 2);
    await sleep(1500);
    expect(w.platform.messagesIn(CH1)).toHaveLength(2);
  });

  it('posts nothing more after unsubscribe, by id or by URL', async () => {
    const feed = w.feeds.feed('/unsub.xml', 'Unsub', [item(1)]);
    await start();
    const sub = await w.platform.interact({ name: 'subscribe', options: { feed: feed.url } });
    const id = /ID `([a-z0-9]+)`/.exec(sub.content)?.[1];
    expect(id).toBeTruthy();
    const list = await w.platform.interact({ name: 'feeds', subcommand: 'list' });
    expect(list.content).toContain(id!);
    expect(list.content).toContain('Unsub');
    const un = await w.platform.interact({ name: 'unsubscribe', options: { feed: id! } });
    expect(un.content).toMatch(/Unsubscribed/);
    feed.set([item(2), item(1)]);
    await sleep(2500);
    expect(w.platform.messagesIn(CH1)).toHaveLength(0);
    const again = await w.platform.interact({ name: 'unsubscribe', options: { feed: feed.url } });
    expect(again.content).toMatch(/No subscription/);
  });

  it('answers bad input with specific replies', async () => {
    const feed = w.feeds.feed('/dup.xml', 'Dup', [item(1)]);
    w.feeds.serve('/page.html', '<html><head><title>x</title></head><body>hi</body></html>', 'text/html');
    await start();
    const ask = async (url: string) => (await w.platform.interact({ name: 'subscribe', options: { feed: url } })).content;
    expect(await ask('not a url')).toMatch(/is not a URL/);
    expect(await ask('ftp://example.com/feed')).toMatch(/Only http/);
    expect(await ask(w.feeds.url('/missing.xml'))).toMatch(/HTTP 404/);
    expect(await ask('https://no-such-host.example/feed.xml')).toMatch(/Host not found: no-such-host\.example/i);
    expect(await ask(w.feeds.url('/page.html'))).toMatch(/web page that announces no feed.*\/rss\.xml/);
    w.feeds.serve('/data.json', '{"hello":"world"}', 'application/json');
    expect(await ask(w.feeds.url('/data.json'))).toMatch(/not a JSON Feed|not an RSS, Atom or JSON feed/);
    await ask(feed.url);
    expect(await ask(feed.url)).toMatch(/already subscribed/);
    expect(w.platform.messagesIn(CH1)).toHaveLength(0);
  });

  it('posts the newest n items with backfill, oldest first', async () => {
    const feed = w.feeds.feed('/backfill.xml', 'Backfill', [item(3), item(2), item(1)]);
    await start();
    await w.platform.interact({ name: 'subscribe', options: { feed: feed.url, backfill: 2 } });
    const posted = await w.platform.waitForMessages(CH1, 2);
    expect(posted.map((m) => (m.body.embeds as { title: string }[])[0]!.title)).toEqual(['Item 2', 'Item 3']);
  });

  it('refuses management commands to members without Manage Channels, but lists for everyone', async () => {
    await start();
    const denied = await w.platform.interact({ name: 'subscribe', options: { feed: w.feeds.url('/x.xml') }, permissions: '0' });
    expect(denied.content).toMatch(/Manage Channels/);
    expect(denied.ephemeral).toBe(true);
    expect(w.feeds.hitsFor('/x.xml')).toBe(0);
    const open = await w.platform.interact({ name: 'feeds', subcommand: 'list', permissions: '0' });
    expect(open.content).toMatch(/no subscriptions/);
    const def = w.platform.commandRegistrations[0]!.body as { name: string; default_member_permissions?: string | null }[];
    expect(def.find((c) => c.name === 'subscribe')?.default_member_permissions).toBe('16');
  });
});
