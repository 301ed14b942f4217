// Pub/sub loses what is published while a subscriber is away, and a lost message used to
// leave a process's cache stale for good. Two "processes" (two createStore on Redis db 6,
// cluster mode): after the subscriber reconnects, and on the periodic resync, every cached
// collection is compared with the store, and the differences reach the caches and their
// indexes (subscriptions by channel and feed, feeds by URL). A local write racing a resync wins.
import type { Redis } from 'ioredis';
import Keyv from 'keyv';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ChangeBus } from '../../src/store/change-bus.js';
import { createStore, type Store } from '../../src/store/index.js';
import type { SubscriptionRecord } from '../../src/domain/records.js';
import { createSubscriptionStore } from '../../src/store/subscription-store.js';
import { describeRedis, freshDb, redisUrl } from './redis-db.js';

const until = async (ok: () => boolean, ms = 5000, what = 'the condition') => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const channel = (channelId: string) => ({ platform: 'discord', workspaceId: 'g', channelId }) as never;
const sub = (id: string, feedId: string, channelId: string, createdAt = 1) => ({ id, platform: 'discord', workspaceId: 'g', channelId, feedId, createdAt }) as SubscriptionRecord;
const ids = (list: { id: string }[]) => list.map((s) => s.id);

/** Ids of the change-bus subscriber connections on the server (named by change-bus.ts). */
async function busClients(redis: Redis, namespace: string): Promise<string[]> {
  const list = (await redis.client('LIST')) as string;
  return list
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])))
    .filter((c) => typeof c.name === 'string' && c.name.startsWith(`${namespace}-changes-`))
    .map((c) => c.id as string);
}

describeRedis('shared state stays right when pub/sub messages are lost', () => {
  let redis: Redis;
  const open: Store[] = [];
  const store = async (namespace: string, resyncEveryMs?: number) => {
    const s = await createStore(redisUrl(), namespace, { cluster: true, ...(resyncEveryMs ? { resyncEveryMs } : {}) });
    open.push(s);
    return s;
  };
  beforeAll(async () => {
    redis = await freshDb();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  afterAll(async () => {
    await redis.flushdb();
    redis.disconnect();
  });

  it('sees after a reconnect what changed while its subscriber was disconnected', async () => {
    const a = await store('reconnect');
    const f1 = await a.feeds.ensure('https://example.com/one.xml', 1);
    const f2 = await a.feeds.ensure('https://example.com/two.xml', 1);
    const s1 = await a.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId: 'c1', feedId: f1.id, createdAt: 1 } as never);
    const before = new Set(await busClients(redis, 'reconnect'));
    const b = await store('reconnect');
    const [bSub] = (await busClients(redis, 'reconnect')).filter((id) => !before.has(id));
    expect(bSub).toBeDefined();
    expect(b.subscriptions.listByChannel(channel('c1')).map((s) => s.id)).toEqual([s1.id]);

    // b's subscriber is cut off; ioredis reconnects after 50 ms, and a writes meanwhile.
    await redis.client('KILL', 'ID', bSub!);
    const [f3, s2] = await Promise.all([
      a.feeds.ensure('https://example.com/three.xml', 1),
      a.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId: 'c2', feedId: f2.id, createdAt: 2 } as never),
      a.feeds.update({ ...f2, url: 'https://example.com/two-moved.xml' }),
      a.subscriptions.remove(s1.id),
    ]);
    // Nothing told b (its messages went nowhere); the resync after re-subscribing catches up.
    await until(() => b.subscriptions.get(s2.id) !== undefined && b.subscriptions.get(s1.id) === undefined, 5000, 'the resync after the reconnect');
    await until(() => b.feeds.getByUrl('https://example.com/two-moved.xml')?.id === f2.id, 2000, 'the moved feed');
    expect(b.feeds.getByUrl('https://example.com/three.xml')?.id).toBe(f3.id);
    expect(b.feeds.getByUrl('https://example.com/two.xml')).toBeUndefined();
    expect(ids(b.subscriptions.listByChannel(channel('c1')))).toEqual([]);
    expect(ids(b.subscriptions.listByChannel(channel('c2')))).toEqual([s2.id]);
    expect(ids(b.subscriptions.listByFeed(f1.id))).toEqual([]);
    expect(ids(b.subscriptions.listByFeed(f2.id))).toEqual([s2.id]);
    // The new subscriber connection is there, and live again: later messages arrive as before.
    expect(await busClients(redis, 'reconnect')).not.toContain(bSub);
    const f4 = await a.feeds.ensure('https://example.com/four.xml', 1);
    await until(() => b.feeds.getByUrl('https://example.com/four.xml')?.id === f4.id, 2000, 'a message after the reconnect');
  });

  it('repairs a dropped message on the periodic resync', async () => {
    const a = await store('periodic');
    const b = await store('periodic', 300);
    const f1 = await a.feeds.ensure('https://example.com/p1.xml', 1);
    const s1 = await a.subscriptions.add({ platform: 'discord', workspaceId: 'g', channelId: 'c1', feedId: f1.id, createdAt: 1 } as never);
    await until(() => b.subscriptions.get(s1.id) !== undefined, 2000, 'the normal message');

    // Written behind the bus's back, as if each message had been lost.
    await a.keyv.set(`feed:${f1.id}`, { ...f1, url: 'https://example.com/p1-moved.xml' });
    await a.keyv.set('feed:ffff0000ffff0000', { id: 'ffff0000ffff0000', url: 'https://example.com/p2.xml', nextCheckAt: 1, failures: 0, initialized: false });
    await a.keyv.set(`sub:${s1.id}`, { ...s1, channelId: 'c9' });
    await a.keyv.set('sub:zzzzzz', sub('zzzzzz', 'ffff0000ffff0000', 'c2'));
    await until(() => b.subscriptions.get('zzzzzz') !== undefined && b.subscriptions.get(s1.id)?.channelId === 'c9', 3000, 'the periodic resync');
    await until(() => b.feeds.getByUrl('https://example.com/p1-moved.xml') !== undefined, 2000, 'the moved feed');
    expect(b.feeds.getByUrl('https://example.com/p1.xml')).toBeUndefined();
    expect(b.feeds.getByUrl('https://example.com/p2.xml')?.id).toBe('ffff0000ffff0000');
    expect(ids(b.subscriptions.listByChannel(channel('c1')))).toEqual([]);
    expect(ids(b.subscriptions.listByChannel(channel('c9')))).toEqual([s1.id]);
    expect(ids(b.subscriptions.listByFeed('ffff0000ffff0000'))).toEqual(['zzzzzz']);

    // Removals too, and the indexes follow.
    await a.keyv.delete('sub:zzzzzz');
    await a.keyv.delete('feed:ffff0000ffff0000');
    await until(() => b.subscriptions.get('zzzzzz') === undefined && b.feeds.get('ffff0000ffff0000') === undefined, 3000, 'the removals');
    expect(ids(b.subscriptions.listByChannel(channel('c2')))).toEqual([]);
    expect(b.feeds.getByUrl('https://example.com/p2.xml')).toBeUndefined();
  });

  it('keeps the messages that arrive while the repositories load, for listen()', async () => {
    const [early, other] = [new ChangeBus(redisUrl(), 'early'), new ChangeBus(redisUrl(), 'early')];
    await Promise.all([early.connect(), other.connect()]);
    try {
      other.publish('feed', 'f-early');
      await new Promise((r) => setTimeout(r, 200)); // arrived, with no listener yet
      const got: string[] = [];
      early.listen((collection, id) => void got.push(`${collection}:${id}`));
      await until(() => got.length > 0, 2000, 'the early message');
      expect(got).toEqual(['feed:f-early']);
    } finally {
      await Promise.all([early.close(), other.close()]);
    }
  });

  it('lets a local write racing a resync win over the older stored value', async () => {
    // An in-memory store whose reads are slow, so a local update lands inside the resync.
    let slow = 0;
    class SlowMap extends Map<string, unknown> {
      override get(key: string) {
        const value = super.get(key);
        return (slow ? new Promise((r) => setTimeout(() => r(value), slow)) : value) as unknown;
      }
    }
    const keyv = new Keyv({ store: new SlowMap(), namespace: 'race' });
    const bus = new ChangeBus(redisUrl(), 'race');
    await bus.connect();
    try {
      const subs = await createSubscriptionStore(keyv, bus);
      bus.listen((collection, id) => (collection === 'sub' ? subs.changedElsewhere(id) : undefined));
      const s1 = await subs.add({ platform: 'discord', workspaceId: 'g', channelId: 'c1', feedId: 'f', createdAt: 1 } as never);
      // Another process moved it to c2 and its message was lost.
      await keyv.set(`sub:${s1.id}`, { ...s1, channelId: 'c2' });
      slow = 100;
      const resync = bus.resync();
      await new Promise((r) => setTimeout(r, 30)); // the resync's re-read of s1 is under way
      const update = subs.update({ ...s1, channelId: 'c3' });
      await Promise.all([resync, update]);
      slow = 0;
      expect(subs.get(s1.id)?.channelId).toBe('c3');
      expect(((await keyv.get(`sub:${s1.id}`)) as SubscriptionRecord).channelId).toBe('c3');
      expect(ids(subs.listByChannel(channel('c3')))).toEqual([s1.id]);
      expect(ids(subs.listByChannel(channel('c2')))).toEqual([]);
      expect(ids(subs.listByChannel(channel('c1')))).toEqual([]);
    } finally {
      await bus.close();
    }
  });
});
