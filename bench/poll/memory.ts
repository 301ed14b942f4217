// (c) Memory with 10,000 feeds subscribed: a real sqlite store in a temp dir holding the
// feeds, one subscription each and their seen ids, while the other parts run. RSS is sampled
// throughout; the peak is what counts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from '../../src/store/index.js';

export class RssSampler {
  peak = process.memoryUsage().rss;
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 25) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): number {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    return rss;
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

export interface SubscribedStore {
  store: Store;
  feeds: number;
  setupMs: number;
  close(): Promise<void>;
}

/** Creates `feeds` feed records, a subscription and 50 seen ids for each, in batches. */
export async function subscribedStore(origin: string, feeds: number): Promise<SubscribedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  const store = await createStore(`sqlite://${join(dir, 'bench.sqlite')}`, 'bench');
  // Setup speed only: a disk sync per write would make 40,000 writes take minutes here.
  // Memory does not depend on it (the store keeps feeds and subscriptions in memory anyway).
  const query = (store.keyv.store as { query(sql: string): Promise<unknown> }).query.bind(store.keyv.store);
  await query('PRAGMA journal_mode=WAL');
  await query('PRAGMA synchronous=OFF');
  const started = performance.now();
  const now = Date.now();
  for (let start = 0; start < feeds; start += 500) {
    const batch = Array.from({ length: Math.min(500, feeds - start) }, (_, k) => start + k);
    await Promise.all(
      batch.map(async (i) => {
        const url = `${origin}/f/${i}`;
        const feed = await store.feeds.ensure(url, now);
        await store.feeds.update({ ...feed, initialized: true, etag: `"f${i}-v1"`, title: `Synthetic feed ${i}`, link: `https://blog.example/${i}/` });
        await store.subscriptions.add({ platform: i % 2 ? 'slack' : 'discord', workspaceId: 'w1', channelId: `c${i % 500}`, feedId: feed.id, feedUrl: url, createdBy: 'bench', createdAt: now, paused: false, state: 'active' });
        const ids = Array.from({ length: 50 }, (_, n) => `g:blog-${i}-${1005 - n}`);
        await store.seen.record(feed.id, [], ids);
      }),
    );
  }
  return {
    store,
    feeds: store.feeds.list().length,
    setupMs: Math.round(performance.now() - started),
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
