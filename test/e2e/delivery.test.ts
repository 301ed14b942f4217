// Delivery end to end: real discord.js against the fake Discord's scripted faults.
// 429s lose nothing; 403 blocks the channel (others stay on time); 10003 and
// CHANNEL_DELETE forget the channel; the outbox outlives a restart; old items are dropped.
import { describe, expect, it } from 'vitest';
import type { HeraldApp } from '../../src/app.js';
import { createStore } from '../../src/store/index.js';
import { channelKey } from '../../src/domain/records.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { items, useHerald } from './fixture.js';
import { sleep } from './harness.js';

const GUILD = '200000000000000001';
const [CH1, CH2, CH3] = ['300000000000000001', '300000000000000002', '300000000000000003'] as const;
const titles = (d: FakeDiscord, ch: string) => d.messagesIn(ch).map((m) => (m.body.embeds as { title: string }[])[0]!.title);
const postsTo = (d: FakeDiscord, ch: string) => d.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages`).length;

async function metric(app: HeraldApp, name: string, labels: Record<string, string>): Promise<number> {
  const m = (await app.core.metrics.registry.getMetricsAsJSON()).find((x) => x.name === name);
  return Number(m?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value ?? 0);
}

describe('delivery end to end', () => {
  const w = useHerald(() => new FakeDiscord([{ id: GUILD, channels: [CH1, CH2, CH3] }]).start());

  const start = (env: Record<string, string> = {}) =>
    w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, ...env });
  const subscribe = (url: string, channelId: string, backfill?: number) =>
    w.platform.interact({ name: 'subscribe', options: { feed: url, ...(backfill ? { backfill } : {}) }, channelId });

  it('loses nothing to 429s: waits out retry_after and posts every item once, in order', async () => {
    const feed = w.feeds.feed('/ratelimited.xml', 'Limited', items(1, 4));
    await start();
    w.platform.fault(CH1, { status: 429, retryAfter: 0.3, times: 3 });
    await subscribe(feed.url, CH1, 4);
    await w.platform.waitForMessages(CH1, 4);
    await sleep(500);
    expect(titles(w.platform, CH1)).toEqual(['Item 1', 'Item 2', 'Item 3', 'Item 4']);
    expect(w.platform.tooManyRequests).toBe(3);
    expect(await metric(w.app!, 'herald_platform_rate_limited_total', { platform: 'discord' })).toBe(3);
  });

  it('marks a channel without permission blocked, stops posting there, and keeps other channels on time', async () => {
    const feed = w.feeds.feed('/blocked.xml', 'Blocked', items(1, 1));
    const failing = w.feeds.feed('/failing.xml', 'Failing', items(1, 1));
    await start();
    w.platform.fault(CH1, { status: 403, code: 50013 });
    w.platform.fault(CH3, { status: 503 }); // a channel stuck in retries must not hold up the others
    await subscribe(feed.url, CH1);
    await subscribe(feed.url, CH2);
    await subscribe(failing.url, CH3);
    feed.set(items(1, 3));
    failing.set(items(1, 3));
    const changed = Date.now();
    await w.platform.waitForMessages(CH2, 2);
    expect(Date.now() - changed).toBeLessThan(4000); // one poll interval (1 s) plus slack
    expect(titles(w.platform, CH2)).toEqual(['Item 2', 'Item 3']);
    const sub1 = w.app!.core.store.subscriptions.listByChannel({ platform: 'discord', workspaceId: GUILD, channelId: CH1 })[0]!;
    expect(sub1).toMatchObject({ state: 'blocked', blockedReason: 'missing permission to post' });
    expect(await metric(w.app!, 'herald_subscription_state_changes_total', { platform: 'discord', state: 'blocked' })).toBe(1);
    const list = await w.platform.interact({ name: 'feeds', subcommand: 'list', channelId: CH1 });
    expect(list.content).toContain('blocked: missing permission to post');
    // No retries while blocked, even when more items arrive.
    const attempts = postsTo(w.platform, CH1);
    expect(attempts).toBeGreaterThan(0); // the 403 itself was counted: the filter matches real paths
    feed.set(items(1, 4));
    await w.platform.waitForMessages(CH2, 3);
    await sleep(500);
    expect(postsTo(w.platform, CH1)).toBe(attempts);
    expect(w.platform.messagesIn(CH1)).toHaveLength(0);
  });

  it('forgets the subscriptions of a channel Discord calls unknown (10003)', async () => {
    const feed = w.feeds.feed('/unknown.xml', 'Unknown', items(1, 2));
    await start();
    w.platform.fault(CH1, { status: 404, code: 10003 });
    await subscribe(feed.url, CH1, 1);
    await subscribe(feed.url, CH2, 1);
    await w.platform.waitForMessages(CH2, 1);
    const here = { platform: 'discord' as const, workspaceId: GUILD, channelId: CH1 };
    for (let i = 0; i < 50 && w.app!.core.store.subscriptions.listByChannel(here).length; i++) await sleep(100);
    expect(w.app!.core.store.subscriptions.listByChannel(here)).toEqual([]);
    expect(await w.app!.core.store.outbox.list(channelKey(here))).toEqual([]);
    expect(await metric(w.app!, 'herald_subscription_state_changes_total', { platform: 'discord', state: 'gone' })).toBe(1);
    const list = await w.platform.interact({ name: 'feeds', subcommand: 'list', channelId: CH1 });
    expect(list.content).toMatch(/no subscriptions/);
  });

  it('blocks (not forgets) a channel on any other 404, keeping its filter for /feeds resume', async () => {
    const feed = w.feeds.feed('/404.xml', 'Four oh four', items(1, 1));
    await start();
    await subscribe(feed.url, CH1);
    const here = { platform: 'discord' as const, workspaceId: GUILD, channelId: CH1 };
    const id = w.app!.core.store.subscriptions.listByChannel(here)[0]!.id;
    await w.platform.interact({ name: 'feeds', subcommand: 'filter', options: { feed: id, include: 'Item' }, channelId: CH1 });
    w.platform.fault(CH1, { status: 404, code: 0 });
    feed.set(items(1, 2));
    for (let i = 0; i < 80 && w.app!.core.store.subscriptions.listByChannel(here)[0]?.state !== 'blocked'; i++) await sleep(100);
    const blocked = w.app!.core.store.subscriptions.listByChannel(here)[0];
    expect(blocked).toMatchObject({ id, state: 'blocked', filter: { include: ['Item'] } });
    expect(blocked!.blockedReason).toMatch(/Discord answered 404/);
    expect(await metric(w.app!, 'herald_subscription_state_changes_total', { platform: 'discord', state: 'gone' })).toBe(0);
    w.platform.fault(CH1, undefined);
    const resumed = await w.platform.interact({ name: 'feeds', subcommand: 'resume', options: { feed: 'all' }, channelId: CH1 });
    expect(resumed.content).toMatch(/can post in this channel again/);
    await w.platform.waitForMessages(CH1, 2);
    expect(w.platform.messagesIn(CH1).map((m) => (m.body.embeds as { title: string }[] | undefined)?.[0]?.title)).toContain('Item 2');
    expect(w.app!.core.store.subscriptions.listByChannel(here)[0]).toMatchObject({ id, state: 'active', filter: { include: ['Item'] } });
  });

  it('forgets the subscriptions of a deleted channel (CHANNEL_DELETE) and a server it left (GUILD_DELETE)', async () => {
    const feed = w.feeds.feed('/deleted.xml', 'Deleted', items(1, 1));
    await start();
    await subscribe(feed.url, CH1);
    await subscribe(feed.url, CH2);
    w.platform.gateway.dispatch('CHANNEL_DELETE', { id: CH1, type: 0, guild_id: GUILD, name: `channel-${CH1}`, position: 0, permission_overwrites: [] });
    const subs = w.app!.core.store.subscriptions;
    for (let i = 0; i < 50 && subs.list().some((s) => s.channelId === CH1); i++) await sleep(100);
    expect(subs.list().map((s) => s.channelId)).toEqual([CH2]);
    feed.set(items(1, 2));
    await w.platform.waitForMessages(CH2, 1);
    expect(w.platform.messagesIn(CH1)).toHaveLength(0);
    w.platform.gateway.dispatch('GUILD_DELETE', { id: GUILD });
    for (let i = 0; i < 50 && subs.list().length; i++) await sleep(100);
    expect(subs.list()).toEqual([]);
  });

  it('keeps pending deliveries across a restart and posts them once, in order', async () => {
    const feed = w.feeds.feed('/pending.xml', 'Pending', items(1, 1));
    await start();
    w.platform.fault(CH1, { status: 500 });
    await subscribe(feed.url, CH1);
    feed.set(items(1, 4));
    const key = channelKey({ platform: 'discord', channelId: CH1 });
    for (let i = 0; i < 50 && (await w.app!.core.store.outbox.list(key)).length < 3; i++) await sleep(100);
    await w.app!.stop();
    w.app = undefined;
    expect(w.platform.messagesIn(CH1)).toHaveLength(0);
    w.platform.fault(CH1, undefined);
    await start();
    await w.platform.waitForMessages(CH1, 3);
    await sleep(1500);
    expect(titles(w.platform, CH1)).toEqual(['Item 2', 'Item 3', 'Item 4']);
  });

  it('drops deliveries older than DELIVERY_MAX_AGE instead of posting them late', async () => {
    const store = await createStore(w.db.url);
    const now = Date.now();
    const sub = await store.subscriptions.add({ platform: 'discord', workspaceId: GUILD, channelId: CH1, feedId: 'f', feedUrl: 'https://example.com/f.xml', createdBy: 'u', createdAt: now, paused: false, state: 'active' });
    const notice = (text: string, seenAt: number) => ({ id: `${sub.id}:${text}`, subscriptionId: sub.id, feedId: 'f', seenAt, attempts: 3, message: { kind: 'notice' as const, text } });
    await store.outbox.append(channelKey(sub), [notice('from yesterday', now - 25 * 3600_000), notice('from an hour ago', now - 3600_000)]);
    await store.close();
    await start();
    await w.platform.waitForMessages(CH1, 1);
    await sleep(500);
    expect(w.platform.messagesIn(CH1).map((m) => m.body.content)).toEqual(['from an hour ago']);
    expect(await w.app!.core.store.outbox.channels()).toEqual([]);
  });
});
