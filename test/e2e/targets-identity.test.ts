// Posting as the feed (channel webhooks) and role pings on Discord end to end.
import { describe, expect, it } from 'vitest';
import { NO_WEBHOOKS_REPLY } from '../../src/platforms/discord/interactions.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { pingsOf } from '../fakes/discord/places.js';
import { waitFor } from '../fakes/http-util.js';
import { item, useHerald } from './fixture.js';
import { sleep } from './harness.js';
import { CHANNELS, expectBodiesMatchSpec, FORUM, GUILD, idOf, ROLE, TEXT, THREAD, titleOf, WITHOUT_MANAGE_WEBHOOKS } from './targets-helpers.js';

describe('Discord identity and mentions end to end', () => {
  const w = useHerald(() => new FakeDiscord([{ id: GUILD, channels: CHANNELS }]).start());
  const start = () => w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
  const subscribe = async (url: string, channelId: string) => idOf((await w.platform.interact({ name: 'subscribe', options: { feed: url }, channelId })).content);
  const feeds = (subcommand: string, options: Record<string, string>, channelId: string, more: { appPermissions?: string; permissions?: string; roles?: Record<string, string> } = {}) =>
    w.platform.interact({ name: 'feeds', subcommand, options, channelId, ...more });
  const webhookCreations = (ch: string) => w.platform.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${ch}/webhooks`).length;

  it('posts under the chosen name and avatar through one channel webhook, re-created once when deleted, and as Herald after reset', async () => {
    const feed = w.feeds.feed('/identity.xml', 'Identity Feed', [item(1)]);
    await start();
    const id = await subscribe(feed.url, TEXT);
    const set = await feeds('identity', { feed: id, name: 'Release Bot', avatar: 'https://example.com/avatar.png' }, TEXT);
    expect(set.content).toMatch(/appear as “Release Bot”/);
    feed.set([item(3), item(2), item(1)]);
    const sent = await waitFor(() => (w.platform.executions.length >= 2 ? w.platform.executions : undefined), 15_000, 'two webhook executions');
    expect(webhookCreations(TEXT)).toBe(1);
    for (const e of sent) {
      expect(e.query).toEqual({ wait: 'true' });
      expect(e.body).toMatchObject({ username: 'Release Bot', avatar_url: 'https://example.com/avatar.png', allowed_mentions: { parse: [] } });
      expect(e.postedIn).toBe(TEXT);
    }
    expect(w.platform.messagesIn(TEXT).map((m) => [titleOf(m.body), Boolean(m.webhookId)])).toEqual([
      ['Item 2', true],
      ['Item 3', true],
    ]);
    // Someone deletes the webhook: the next post re-creates it once and still goes out as the feed.
    w.platform.deleteWebhook(sent[0]!.webhookId);
    feed.set([item(4), item(3), item(2), item(1)]);
    await w.platform.waitForMessages(TEXT, 3);
    expect(webhookCreations(TEXT)).toBe(2);
    expect(w.platform.messagesIn(TEXT)[2]!.webhookId).toBeDefined();
    expect((await feeds('identity', { feed: id, name: 'reset' }, TEXT)).content).toMatch(/as Herald again/);
    feed.set([item(5), item(4), item(3), item(2), item(1)]);
    const after = await w.platform.waitForMessages(TEXT, 4);
    expect(after[3]!.webhookId).toBeUndefined();
    expectBodiesMatchSpec(w.platform);
  });

  it('without a name posts as the feed itself; in forums with thread_name, in threads through the parent with thread_id', async () => {
    const a = w.feeds.feed('/id-forum.xml', 'Forum Identity', [item(1)]);
    const b = w.feeds.feed('/id-thread.xml', 'Thread Identity', [item(1)]);
    await start();
    await feeds('identity', { feed: await subscribe(a.url, FORUM) }, FORUM);
    await feeds('identity', { feed: await subscribe(b.url, THREAD) }, THREAD);
    a.set([item(2, 'Forum item'), item(1)]);
    b.set([item(2, 'Thread item'), item(1)]);
    await waitFor(() => (w.platform.executions.length >= 2 ? true : undefined), 15_000, 'two webhook executions');
    const forum = w.platform.executions.find((e) => e.channelId === FORUM)!;
    expect(forum.body).toMatchObject({ username: 'Forum Identity', thread_name: 'Forum item', allowed_mentions: { parse: [] } });
    expect(w.platform.threads.find((t) => t.id === forum.postedIn)).toMatchObject({ parentId: FORUM, source: 'webhook-forum', name: 'Forum item' });
    // A thread has no webhooks: its parent's webhook posts into it.
    const thread = w.platform.executions.find((e) => e.postedIn === THREAD)!;
    expect(thread).toMatchObject({ channelId: TEXT, query: { wait: 'true', thread_id: THREAD } });
    expect(thread.body.username).toBe('Thread Identity');
    expect(webhookCreations(THREAD)).toBe(0);
    expectBodiesMatchSpec(w.platform);
  });

  it('without Manage Webhooks says exactly that and keeps posting as Herald', async () => {
    const feed = w.feeds.feed('/no-hooks.xml', 'No Hooks', [item(1)]);
    await start();
    const id = await subscribe(feed.url, TEXT);
    const r = await feeds('identity', { feed: id, name: 'Nope' }, TEXT, { appPermissions: WITHOUT_MANAGE_WEBHOOKS });
    expect(r.content).toBe(NO_WEBHOOKS_REPLY);
    // Set while allowed, then the permission is taken away: posts fall back to the bot.
    await feeds('identity', { feed: id, name: 'Later' }, TEXT);
    w.platform.webhookDenied.add(TEXT);
    feed.set([item(2), item(1)]);
    const [m] = await w.platform.waitForMessages(TEXT, 1);
    expect(m!.webhookId).toBeUndefined();
    expect(w.platform.executions).toHaveLength(0);
  });

  it('pings only the chosen role, however the feed text tries; leaving out role stops the pings', async () => {
    const sneaky = 'Hi <@&999999999999999999> @everyone @here <@123456789012345678>';
    const feed = w.feeds.feed('/mention.xml', 'Pinger', [item(1)]);
    await start();
    const id = await subscribe(feed.url, TEXT);
    const denied = await feeds('mention', { feed: id }, TEXT, { permissions: '0', roles: { role: ROLE } });
    expect(denied.content).toMatch(/Manage Channels/);
    const r = await feeds('mention', { feed: id }, TEXT, { roles: { role: ROLE } });
    expect(r.content).toMatch(new RegExp(`pings the chosen group \\(id ${ROLE}\\)`));
    expect(r.content).not.toContain('<@&');
    feed.set([{ ...item(2, sneaky), description: sneaky }, item(1)]);
    const [m] = await w.platform.waitForMessages(TEXT, 1);
    expect(String(m!.body.content).startsWith(`<@&${ROLE}> `)).toBe(true);
    expect(m!.body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(pingsOf(m!.body)).toEqual({ roles: [ROLE], everyone: false });
    await feeds('mention', { feed: id }, TEXT);
    feed.set([item(3), { ...item(2, sneaky), description: sneaky }, item(1)]);
    const after = await w.platform.waitForMessages(TEXT, 2);
    expect(pingsOf(after[1]!.body)).toEqual({ roles: [], everyone: false });
    expect(after[1]!.body.allowed_mentions).toEqual({ parse: [] });
    expectBodiesMatchSpec(w.platform);
  });

  it('a mention and an identity together: the webhook post pings the role only', async () => {
    const feed = w.feeds.feed('/both.xml', 'Both', [item(1)]);
    await start();
    const id = await subscribe(feed.url, TEXT);
    await feeds('mention', { feed: id }, TEXT, { roles: { role: ROLE } });
    await feeds('identity', { feed: id, name: 'Both Feed' }, TEXT);
    feed.set([item(2), item(1)]);
    const [e] = await waitFor(() => (w.platform.executions.length ? w.platform.executions : undefined), 15_000, 'a webhook execution');
    expect(e!.body).toMatchObject({ username: 'Both Feed', allowed_mentions: { parse: [], roles: [ROLE] } });
    expect(pingsOf(e!.body).roles).toEqual([ROLE]);
    await sleep(100);
  });
});
