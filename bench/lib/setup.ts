// Shared setup for delivery benchmarks: a temp SQLite store (as in production) holding
// N channels × M pending deliveries, and a quiet logger.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryQueue } from '../../src/core/deliver/queue.js';
import type { MessageSender, Platform } from '../../src/domain/types.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createStore, type Store } from '../../src/store/index.js';
import type { Delivery, SubscriptionRecord } from '../../src/domain/records.js';

export interface Burst {
  store: Store;
  queue: DeliveryQueue;
  subs: SubscriptionRecord[];
  cleanup(): Promise<void>;
}

export function delivery(sub: SubscriptionRecord, n: number, seenAt: number): Delivery {
  return {
    id: `${sub.id}:item-${n}`,
    subscriptionId: sub.id,
    feedId: sub.feedId,
    itemId: `item-${n}`,
    seenAt,
    attempts: 0,
    message: {
      kind: 'item',
      title: `Item ${n} for ${sub.channelId}`,
      link: `https://example.com/${sub.channelId}/${n}`,
      summary: 'A short summary, as most feed items have.',
      categories: [],
      feedTitle: 'Bench feed',
      feedUrl: 'https://example.com/feed.xml',
      color: 0x3366cc,
    },
  };
}

/** Persists the burst without sending: the timed part starts at queue.resumeAll(). */
export async function prepareBurst(o: { platform: Platform; channelIds: string[]; perChannel: number; sender: MessageSender }): Promise<Burst> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  const store = await createStore(`sqlite://${join(dir, 'bench.sqlite')}`);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'error', [], process.stderr as never);
  const queue = new DeliveryQueue({ store, senders: new Map([[o.platform, o.sender]]), logger, metrics: createMetrics(false), maxAgeMs: 86_400_000 });
  const subs: SubscriptionRecord[] = [];
  const now = Date.now();
  for (const [i, channelId] of o.channelIds.entries()) {
    const sub = await store.subscriptions.add({
      platform: o.platform,
      workspaceId: 'bench-workspace',
      channelId,
      feedId: `feed-${i}`,
      feedUrl: `https://example.com/feed-${i}.xml`,
      createdBy: 'bench',
      createdAt: now,
      paused: false,
      state: 'active',
    });
    subs.push(sub);
    await queue.persist(sub, Array.from({ length: o.perChannel }, (_, n) => delivery(sub, n, now)));
  }
  return {
    store,
    queue,
    subs,
    async cleanup() {
      await queue.stop(1000);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends the whole burst and returns the elapsed milliseconds; fails past `timeoutMs`. */
export async function drainTimed(burst: Burst, timeoutMs: number): Promise<number> {
  const started = performance.now();
  await burst.queue.resumeAll();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not done after ${timeoutMs} ms`)), timeoutMs)));
  try {
    await Promise.race([burst.queue.idle(), limit]);
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - started;
}

export interface BenchResult {
  name: string;
  items: number;
  channels: number;
  elapsedMs: number;
  minimumMs: number;
  requests: number;
  rateLimited: number;
  notes?: string;
}

export function report(r: BenchResult): void {
  const ratio = r.elapsedMs / r.minimumMs;
  const share = r.requests ? (100 * r.rateLimited) / r.requests : 0;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log(`\n${r.name}: ${r.items} items into ${r.channels} channels`);
  console.log(`  elapsed            ${(r.elapsedMs / 1000).toFixed(2)} s`);
  console.log(`  theoretical min    ${(r.minimumMs / 1000).toFixed(2)} s`);
  console.log(`  ratio              ${ratio.toFixed(3)}  (goal ≤ 1.2: ${verdict(ratio <= 1.2)})`);
  console.log(`  requests           ${r.requests}`);
  console.log(`  429 answers        ${r.rateLimited} = ${share.toFixed(2)}% of requests  (goal ≤ 1%: ${verdict(share <= 1)})`);
  if (r.notes) console.log(`  ${r.notes}`);
}
