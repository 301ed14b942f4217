// Issue 11, item 2: one guild must not take over another guild's feed. Feed A moves to B
// after confirmed 301s (keeping its id); a victim subscribes to B; A serves its own content
// again and an attacker subscribes to A. With ids derived from the URL, A's new record got
// the moved feed's id and replaced it. Real store, poller, fetcher, queue; feeds on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from '../../src/core/fetch/index.js';
import { parseNetworkList } from '../../src/core/fetch/networks.js';
import { REDIRECT_CONFIRMATIONS } from '../../src/core/poll-outcome.js';
import { localPoller } from './poller-fixture.js';
import { SubscriptionService } from '../../src/core/subscriptions.js';
import type { ChannelRef } from '../../src/domain/types.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createStore, type Store } from '../../src/store/index.js';
import { FakeSender, makeQueue } from './deliver/helpers.js';
import { LoopbackServer, RSS } from './fetch/loopback-server.js';

const first: ChannelRef = { platform: 'discord', workspaceId: 'g-first', channelId: 'first' };
const victim: ChannelRef = { platform: 'discord', workspaceId: 'g-victim', channelId: 'victim' };
const attacker: ChannelRef = { platform: 'discord', workspaceId: 'g-attacker', channelId: 'attacker' };

let dir: string;
let store: Store;
let srv: LoopbackServer;
let fetcher: Fetcher;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'herald-takeover-'));
  store = await createStore(`sqlite://${join(dir, 'h.sqlite')}`, 'takeover');
  srv = await new LoopbackServer().start();
  fetcher = createFetcher({ maxBytes: 1_000_000, userAgent: 'Herald-test', allowedNetworks: parseNetworkList('127.0.0.1/32'), timeoutMs: 3000 });
});
afterAll(async () => {
  await fetcher.close();
  await srv.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a feed moved by 301 keeps its subscribers when someone subscribes to its old URL again', async () => {
  const feedA: { title: string; link: string }[] = [{ title: 'A says hello', link: 'https://a.example/1' }];
  const feedB: { title: string; link: string }[] = [{ title: 'B one', link: 'https://b.example/1' }];
  let aRedirects = false;
  srv.route('/a.xml', (_q, res) => (aRedirects ? res.writeHead(301, { location: '/b.xml' }).end() : res.writeHead(200).end(RSS('Feed A', feedA))));
  srv.route('/b.xml', (_q, res) => res.writeHead(200).end(RSS('Feed B', feedB)));

  const sender = new FakeSender();
  const { queue } = makeQueue(store, [sender]);
  let now = Date.now();
  const poller = localPoller({ store, fetcher, queue, logger: createLogger('silent'), metrics: createMetrics(false), pollIntervalMs: 3_600_000, maxFailures: 4, maxItemsPerPoll: 10, concurrency: 4, now: () => now, random: () => 0 });
  const subs = new SubscriptionService({ store, fetcher, queue, pollIntervalMs: 3_600_000, maxItemsPerPoll: 10, now: () => now, nextCheck: (from) => from + 365 * 86_400_000 });
  await poller.start();
  const subscribe = (channel: ChannelRef, path: string) => subs.subscribe({ channel, url: srv.url(path), userId: 'u' });

  // 1. Someone reads A; A then answers 301 → B until Herald moves the feed.
  const moved = (await subscribe(first, '/a.xml')).feed;
  aRedirects = true;
  for (let i = 0; i < REDIRECT_CONFIRMATIONS; i++) await poller.pollNow(moved.id);
  expect(store.feeds.get(moved.id)?.url).toBe(srv.url('/b.xml'));
  // 2. The victim subscribes to B: the moved feed.
  expect((await subscribe(victim, '/b.xml')).feed.id).toBe(moved.id);
  // 3. A serves its own content again; the attacker subscribes to A.
  aRedirects = false;
  feedA.unshift({ title: 'A: the attacker wants this in your channel', link: 'https://a.example/2' });
  const taken = (await subscribe(attacker, '/a.xml')).feed;
  expect(taken.id).not.toBe(moved.id);
  expect(store.feeds.get(moved.id)?.url).toBe(srv.url('/b.xml'));

  // B and A each publish; each channel gets its own feed's item.
  feedB.unshift({ title: 'B two', link: 'https://b.example/2' });
  feedA.unshift({ title: 'A three', link: 'https://a.example/3' });
  now += 1000;
  await poller.pollNow(moved.id);
  await poller.pollNow(taken.id);
  await queue.idle();
  expect(sender.textsIn('victim')).toEqual(['B two']);
  // The first reader also got B's item seen while the redirect was being confirmed.
  expect(sender.textsIn('first')).toEqual(['B one', 'B two']);
  expect(sender.textsIn('attacker')).toEqual(['A three']);
  await poller.stop();
  await queue.stop();
});
