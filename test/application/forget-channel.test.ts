// "Forget a channel" is written once (src/application/forget-channel.ts) and both platforms'
// events call it: Discord's channel and server removals, Slack's deletes and archives.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { Events, type Client } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUseCases, type AppDeps, type UseCases } from '../../src/application/index.js';
import { SubscriptionService } from '../../src/core/subscriptions.js';
import { channelKey } from '../../src/domain/records.js';
import type { ChannelRef } from '../../src/domain/types.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { wireGatewayEvents } from '../../src/platforms/discord/events.js';
import { CHANNEL_GONE_EVENTS, registerChannelEvents } from '../../src/platforms/slack/channel-events.js';
import { createStore, type Store } from '../../src/store/index.js';

const log = createLogger('silent');

describe('forgetChannels', () => {
  let store: Store;
  let app: UseCases;
  let cleared: string[];
  let metrics: ReturnType<typeof createMetrics>;
  beforeEach(async () => {
    store = await createStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'herald-forget-')), 'db.sqlite')}`);
    cleared = [];
    metrics = createMetrics(false);
    const queue = { clearChannel: async (key: string) => void cleared.push(key), enqueue: async () => undefined, kick: () => undefined, pending: 0 };
    const subscriptions = new SubscriptionService({ store, fetcher: {} as never, queue: queue as never, pollIntervalMs: 60_000, maxItemsPerPoll: 10, now: () => 0, nextCheck: (t) => t });
    app = createUseCases({ store, subscriptions, queue, metrics, logger: log, clock: { now: () => 0 } } as unknown as AppDeps);
  });
  afterEach(() => store.close());

  const add = async (channel: ChannelRef, url: string) => {
    const feed = await store.feeds.ensure(url, 0);
    return store.subscriptions.add({ ...channel, feedId: feed.id, feedUrl: url, createdBy: 'u', createdAt: 0, paused: false, state: 'active' });
  };
  const ids = () => store.subscriptions.list().map((s) => `${s.platform}/${s.workspaceId}/${s.channelId}`).sort();

  it('removes one channel of one platform, or every channel of a workspace, with their queues and feeds', async () => {
    const d1 = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
    const d2 = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c2' };
    const d3 = { platform: 'discord' as const, workspaceId: 'g2', channelId: 'c3' };
    // The same channel id on Slack is another channel.
    const s1 = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'c1' };
    await add(d1, 'https://a.example/feed');
    await add(d1, 'https://only-c1.example/feed');
    await add(d2, 'https://a.example/feed');
    await add(d3, 'https://b.example/feed');
    await add(s1, 'https://a.example/feed');

    expect(await app.forgetChannels({ platform: 'discord', channelId: 'c1' }, 'channel deleted')).toBe(2);
    expect(ids()).toEqual(['discord/g1/c2', 'discord/g2/c3', 'slack/T1/c1']);
    expect(cleared).toEqual([channelKey(d1)]);
    // A feed nobody reads any more goes with its last subscription; a shared one stays.
    expect(store.feeds.list().map((f) => f.url).sort()).toEqual(['https://a.example/feed', 'https://b.example/feed']);

    expect(await app.forgetChannels({ platform: 'discord', workspaceId: 'g1' }, 'removed from server')).toBe(1);
    expect(ids()).toEqual(['discord/g2/c3', 'slack/T1/c1']);
    expect(await app.forgetChannels({ platform: 'slack', channelId: 'c1' }, 'channel archived')).toBe(1);
    expect(ids()).toEqual(['discord/g2/c3']);
    expect(cleared).toEqual([channelKey(d1), channelKey(d2), channelKey(s1)]);
    const gone = await metrics.registry.getSingleMetricAsString('herald_subscription_state_changes_total');
    expect(gone).toContain('platform="discord",state="gone"} 3');
    expect(gone).toContain('platform="slack",state="gone"} 1');
  });
});

describe('platform events call the one use case', () => {
  it('Discord: a deleted channel and a server Herald left, not a server outage', async () => {
    const forget = vi.fn(async () => 0);
    const client = new EventEmitter();
    wireGatewayEvents(client as unknown as Client, { forgetChannels: forget } as unknown as UseCases, log);
    client.emit(Events.ChannelDelete, { id: 'c1' });
    client.emit(Events.GuildDelete, { id: 'g1', available: true });
    client.emit(Events.GuildDelete, { id: 'g2', available: false });
    await vi.waitFor(() => expect(forget).toHaveBeenCalledTimes(2));
    expect(forget.mock.calls).toEqual([
      [{ platform: 'discord', channelId: 'c1' }, 'channel deleted'],
      [{ platform: 'discord', workspaceId: 'g1' }, 'removed from server'],
    ]);
  });

  it('Slack: deleted and archived channels, public and private', async () => {
    const forget = vi.fn(async () => 0);
    const handlers = new Map<string, (args: { event: unknown }) => Promise<void>>();
    const bolt = { event: (name: string, h: (args: { event: unknown }) => Promise<void>) => handlers.set(name, h) };
    registerChannelEvents(bolt as unknown as App, { forgetChannels: forget }, log);
    expect([...handlers.keys()]).toEqual([...CHANNEL_GONE_EVENTS]);
    for (const name of CHANNEL_GONE_EVENTS) await handlers.get(name)!({ event: { type: name, channel: `C-${name}` } });
    await handlers.get('channel_deleted')!({ event: { type: 'channel_deleted' } }); // no channel: ignored
    expect(forget.mock.calls).toEqual([
      [{ platform: 'slack', channelId: 'C-channel_deleted' }, 'channel deleted'],
      [{ platform: 'slack', channelId: 'C-channel_archive' }, 'channel archived'],
      [{ platform: 'slack', channelId: 'C-group_deleted' }, 'channel deleted'],
      [{ platform: 'slack', channelId: 'C-group_archive' }, 'channel archived'],
    ]);
  });
});
