// Two "processes" (two createStore on one Redis db, cluster mode): a write in one reaches the
// other's cache and indexes through pub/sub, and the shared outbox never serves a stale list.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/store/index.js';
import { describeRedis, freshDb, redisUrl } from './redis-db.js';

const until = async (ok: () => boolean | Promise<boolean>, ms = 3000) => {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describeRedis('a store shared by several processes (cluster mode)', () => {
  let redis: Redis;
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    redis = await freshDb();
    a = await createStore(redisUrl(), 'shared', { cluster: true });
    b = await createStore(redisUrl(), 'shared', { cluster: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis.flushdb();
    redis.disconnect();
  });

  it('propagates feeds, subscriptions and their indexes', async () => {
    const feed = await a.feeds.ensure('https://example.com/a.xml', 1);
    await until(() => b.feeds.getByUrl('https://example.com/a.xml')?.id === feed.id);
    const sub = await a.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId: 'c1', feedId: feed.id, createdAt: 1 } as never);
    await until(() => b.subscriptions.listByFeed(feed.id).length === 1);
    expect(b.subscriptions.listByChannel({ platform: 'discord', workspaceId: 'g', channelId: 'c1' } as never).map((s) => s.id)).toEqual([sub.id]);
    await a.feeds.update({ ...feed, url: 'https://example.com/moved.xml' });
    await until(() => b.feeds.getByUrl('https://example.com/moved.xml')?.id === feed.id);
    expect(b.feeds.getByUrl('https://example.com/a.xml')).toBeUndefined();
    await a.subscriptions.remove(sub.id);
    await until(() => b.subscriptions.listByFeed(feed.id).length === 0);
    await a.feeds.remove(feed.id);
    await until(() => b.feeds.get(feed.id) === undefined);
  });

  it('confirms a subscription from the store even when no message arrived', async () => {
    const feed = await a.feeds.ensure('https://example.com/b.xml', 1);
    // Written behind the bus's back, as if the message were lost.
    await a.keyv.set('sub:zzzzzz', { id: 'zzzzzz', platform: 'discord', workspaceId: 'g', channelId: 'c2', feedId: feed.id, createdAt: 2 });
    expect(b.subscriptions.listByFeed(feed.id)).toEqual([]);
    expect((await b.subscriptions.confirmByFeed(feed.id)).map((s) => s.id)).toEqual(['zzzzzz']);
  });

  it('re-reads the outbox of a channel at each use', async () => {
    const d = (id: string) => ({ id, feedId: 'f', itemId: id, subscriptionId: 's', createdAt: 1 }) as never;
    await a.outbox.append('discord:g:c3', [d('x1'), d('x2')]);
    expect((await b.outbox.list('discord:g:c3')).map((x: { id: string }) => x.id)).toEqual(['x1', 'x2']);
    await b.outbox.remove('discord:g:c3', ['x1']);
    expect((await a.outbox.list('discord:g:c3')).map((x: { id: string }) => x.id)).toEqual(['x2']);
    expect(await a.outbox.channels()).toContain('discord:g:c3');
  });
});
