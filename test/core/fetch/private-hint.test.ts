// A refused private address, told to the operator: the poll failure in the log names
// ALLOWED_PRIVATE_NETWORKS with the address's own network (chat replies stay as they are).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DeliveryQueue } from '../../../src/core/deliver/queue.js';
import { createFetcher } from '../../../src/core/fetch/index.js';
import { allowPrivateHint } from '../../../src/core/fetch/private-hint.js';
import { localPoller } from '../poller-fixture.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { createStore } from '../../../src/store/index.js';
import { LoopbackServer, RSS } from './loopback-server.js';

describe('ALLOWED_PRIVATE_NETWORKS hint', () => {
  it('suggests the address itself as a /32 or /128, else an example network', () => {
    expect(allowPrivateHint('127.0.0.1 is a loopback address')).toContain('ALLOWED_PRIVATE_NETWORKS=127.0.0.1/32');
    expect(allowPrivateHint('::1 is a loopback address')).toContain('ALLOWED_PRIVATE_NETWORKS=::1/128');
    expect(allowPrivateHint('something else')).toContain('ALLOWED_PRIVATE_NETWORKS=10.0.0.0/8');
  });

  it('is in the log line of a poll refused for a loopback address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-hint-'));
    const store = await createStore(`sqlite://${join(dir, 'h.sqlite')}`, 'hint');
    const srv = await new LoopbackServer().start();
    srv.route('*', (_q, s) => s.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS('Feed', [{ title: 'a', link: 'https://example.com/a' }])));
    const fetcher = createFetcher({ maxBytes: 1_000_000, userAgent: 'Herald-test', allowedNetworks: [], timeoutMs: 3000 });
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
    const queue = { persist: async () => {}, enqueue: async () => {}, kick: () => {} } as unknown as DeliveryQueue;
    const now = Date.now();
    const poller = localPoller({ store, fetcher, queue, logger: createLogger('info', [], sink), metrics: createMetrics(false), pollIntervalMs: 600_000, maxFailures: 4, maxItemsPerPoll: 10, concurrency: 1, now: () => now, random: () => 0 });
    try {
      const feed = { ...(await store.feeds.ensure(srv.url('/f.xml'), now)), nextCheckAt: now + 86_400_000 };
      await store.feeds.update(feed);
      await store.subscriptions.add({ platform: 'discord', workspaceId: 'w', channelId: 'c', feedId: feed.id, feedUrl: feed.url, createdBy: 'u', createdAt: now, paused: false, state: 'active' });
      await poller.start();
      await poller.pollNow(feed.id);
      const failed = lines.find((l) => l.msg === 'feed poll failed');
      expect(failed).toMatchObject({ kind: 'blocked-address' });
      expect(String(failed?.hint)).toContain('ALLOWED_PRIVATE_NETWORKS=127.0.0.1/32');
    } finally {
      await poller.stop();
      await fetcher.close();
      await srv.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
