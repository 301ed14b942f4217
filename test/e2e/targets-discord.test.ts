// Delivery targets on Discord end to end (real discord.js, fake Discord): forum posts
// with tags, a thread per item, posting inside a thread, announcement crossposts.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { waitFor } from '../fakes/http-util.js';
import { item, useHerald } from './fixture.js';
import { sleep } from './harness.js';
import { ANNOUNCE, CHANNELS, expectBodiesMatchSpec, FORUM, GUILD, idOf, TAG_RUST, TEXT, THREAD, titleOf } from './targets-helpers.js';

describe('Discord delivery targets end to end', () => {
  const w = useHerald(() => new FakeDiscord([{ id: GUILD, channels: CHANNELS }]).start());
  const start = () => w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
  const subscribe = async (url: string, channelId: string) => idOf((await w.platform.interact({ name: 'subscribe', options: { feed: url }, channelId })).content);
  const feeds = (subcommand: string, options: Record<string, string>, channelId: string) => w.platform.interact({ name: 'feeds', subcommand, options, channelId });
  const posts = (path: string) => w.platform.requests.filter((r) => r.method === 'POST' && r.path === path).length;

  it('makes each new item its own forum post, named after the item, with the matching tags', async () => {
    const long = `Rust news ${'x'.repeat(120)}`;
    const feed = w.feeds.feed('/forum.xml', 'Forum Feed', [item(1)]);
    await start();
    await subscribe(feed.url, FORUM);
    feed.set([{ ...item(3, 'Short one'), categories: ['golang'] }, { ...item(2, long), categories: ['RUST', 'misc'] }, item(1)]);
    const threads = await waitFor(() => (w.platform.threads.length >= 2 ? w.platform.threads : undefined), 15_000, 'two forum posts');
    expect(threads.map((t) => [t.parentId, t.source, t.name])).toEqual([
      [FORUM, 'forum', long.slice(0, 100)],
      [FORUM, 'forum', 'Short one'],
    ]);
    expect(threads[0]!.appliedTags).toEqual([TAG_RUST]); // "RUST" matches the tag "Rust"; "misc" matches none
    expect(threads[1]!.appliedTags).toEqual([]); // "golang" is not "Go"
    // The card itself is the post's first message; nothing went to the forum as a plain message.
    expect(titleOf(w.platform.messagesIn(threads[0]!.id)[0]!.body)).toBe(long);
    expect(posts(`/channels/${FORUM}/messages`)).toBe(0);
    expect(w.platform.messagesIn(FORUM)).toHaveLength(0);
    expectBodiesMatchSpec(w.platform);
  });

  it('the fake forum refuses plain messages with 50008, as Discord does', async () => {
    const res = await fetch(`${w.platform.apiUrl}/v10/channels/${FORUM}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"content":"x"}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 50008 });
  });

  it('starts a thread from each post with /feeds thread per-item, and stops with off', async () => {
    const feed = w.feeds.feed('/threads.xml', 'Thready', [item(1)]);
    await start();
    const id = await subscribe(feed.url, TEXT);
    expect((await feeds('thread', { feed: id, mode: 'per-item' }, TEXT)).content).toMatch(/now starts a thread/);
    expect((await w.platform.interact({ name: 'feeds', subcommand: 'list', channelId: TEXT })).content).toMatch(/thread per item/);
    feed.set([item(2, 'Discuss me'), item(1)]);
    const [thread] = await waitFor(() => (w.platform.threads.length ? w.platform.threads : undefined), 15_000, 'a thread');
    const [post] = w.platform.messagesIn(TEXT);
    expect(thread).toMatchObject({ parentId: TEXT, source: 'message', name: 'Discuss me', messageId: post!.id, id: post!.id });
    expect((await feeds('thread', { feed: id, mode: 'off' }, TEXT)).content).toMatch(/no longer start threads/);
    feed.set([item(3), item(2), item(1)]);
    await w.platform.waitForMessages(TEXT, 2);
    await sleep(300);
    expect(w.platform.threads).toHaveLength(1);
    expectBodiesMatchSpec(w.platform);
  });

  it('posts into a thread when subscribed from inside it; a thread gets no threads of its own', async () => {
    const feed = w.feeds.feed('/in-thread.xml', 'In Thread', [item(1)]);
    await start();
    const id = await subscribe(feed.url, THREAD);
    expect((await feeds('thread', { feed: id, mode: 'per-item' }, THREAD)).content).toMatch(/thread already/);
    feed.set([item(2), item(1)]);
    const [m] = await w.platform.waitForMessages(THREAD, 1);
    expect(titleOf(m!.body)).toBe('Item 2');
    expect(w.platform.threads).toHaveLength(0);
  });

  it('publishes every post in an announcement channel by default; /feeds publish off stops it', async () => {
    const feed = w.feeds.feed('/announce.xml', 'Announcer', [item(1)]);
    const other = w.feeds.feed('/not-announce.xml', 'Plain', [item(1)]);
    await start();
    const id = await subscribe(feed.url, ANNOUNCE);
    feed.set([item(3), item(2), item(1)]);
    const sent = await w.platform.waitForMessages(ANNOUNCE, 2);
    await waitFor(() => (w.platform.crossposts.length >= 2 ? true : undefined), 5000, 'two crossposts');
    expect(w.platform.crossposts).toEqual(sent.map((m) => ({ channelId: ANNOUNCE, messageId: m.id })));
    expect((await feeds('publish', { feed: id, state: 'off' }, ANNOUNCE)).content).toMatch(/not published/);
    feed.set([item(4), item(3), item(2), item(1)]);
    await w.platform.waitForMessages(ANNOUNCE, 3);
    await sleep(300);
    expect(w.platform.crossposts).toHaveLength(2);
    // In a text channel there is nothing to publish to: on is refused, and nothing is crossposted.
    const plainId = await subscribe(other.url, TEXT);
    expect((await feeds('publish', { feed: plainId, state: 'on' }, TEXT)).content).toMatch(/Only announcement channels/);
    other.set([item(2), item(1)]);
    await w.platform.waitForMessages(TEXT, 1);
    await sleep(300);
    expect(w.platform.crossposts).toHaveLength(2);
  });
});
