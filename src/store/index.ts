// createStore: opens the backend and builds every repository on it.
//
// One process per store (lease.ts): every repository caches in memory and trusts that no
// one else writes. A cluster (issue 14, `cluster: true` on Redis) instead: BullMQ job locks
// replace the lease (one process polls a feed, one drains a channel); feeds and
// subscriptions are invalidated per key over Redis pub/sub (change-bus.ts); the outbox
// re-reads a channel at each use; touch() batches are flushed by whichever process polls the
// feed; and the seen read-merge-write of a feed runs only in the process holding its poll job.
import type Keyv from 'keyv';
import { ChangeBus } from './change-bus.js';
import { createFeedStore, type FeedStore } from './feed-store.js';
import { migrate, SCHEMA_VERSION } from './migrate.js';
import { openKeyv, storeKind, type OpenKeyvOptions } from './open-keyv.js';
import { createOutboxStore, type OutboxStore } from './outbox-store.js';
import { commitPoll, markPendingSeen, type PollCommit } from './poll-commit.js';
import type { Store } from './interfaces.js';
import { createSeenStore, type SeenStore } from './seen-store.js';
import { createSubscriptionStore, type SubscriptionStore } from './subscription-store.js';

export { SCHEMA_VERSION };

/** The repositories on an open Keyv (tests use an in-memory one). */
export async function openRepositories(keyv: Keyv, opts: OpenKeyvOptions = {}, bus?: ChangeBus): Promise<Omit<Store, 'kind' | 'keyv' | 'close'>> {
  const feeds = await createFeedStore(keyv, { onError: opts.onError, ...(bus ? { publisher: bus } : {}) });
  try {
    const seen = createSeenStore(keyv);
    const outbox = await createOutboxStore(keyv, { shared: !!bus });
    if (!bus) await markPendingSeen(outbox, seen);
    const subscriptions = await createSubscriptionStore(keyv, bus);
    bus?.listen(async (collection, id) => {
      if (collection === 'feed') await feeds.changedElsewhere(id);
      else if (collection === 'sub') await subscriptions.changedElsewhere(id);
    });
    return { feeds, subscriptions, seen, outbox, commitPoll: (poll) => commitPoll(outbox, seen, poll) };
  } catch (error) {
    await feeds.close().catch(() => undefined);
    throw error;
  }
}

export interface StoreOptions extends OpenKeyvOptions {
  /** Several processes share this (Redis) store: publish and apply changes (issue 14). */
  cluster?: boolean;
  /** Cluster: how often the caches are compared with the store (change-bus.ts); tests shorten it. */
  resyncEveryMs?: number;
}

export async function createStore(databaseUrl: string, namespace = 'herald', opts: StoreOptions = {}): Promise<Store> {
  if (opts.cluster && storeKind(databaseUrl) !== 'redis') throw new Error('DATABASE_URL: a cluster needs a redis:// store');
  const keyv = await openKeyv(databaseUrl, namespace, opts);
  let bus: ChangeBus | undefined;
  let closing: Promise<void> | undefined;
  let feeds: FeedStore | undefined;
  // Several owners (shutdown, a failed start, tests) may close; the drivers dislike a second call.
  const close = () =>
    (closing ??= (async () => {
      // Batched check times first; a store that is already gone cannot take them anyway.
      await feeds?.close().catch((error: unknown) => opts.onError?.(error as Error));
      await bus?.close();
      await keyv.disconnect();
    })());
  try {
    await migrate(keyv);
    if (opts.cluster) {
      // Subscribed before the collections load, so no change made meanwhile is missed.
      bus = new ChangeBus(databaseUrl, namespace, (err) => opts.onError?.(err), { resyncEveryMs: opts.resyncEveryMs });
      await bus.connect();
    }
    const repos = await openRepositories(keyv, opts, bus);
    feeds = repos.feeds;
    return { kind: storeKind(databaseUrl), keyv, ...repos, close };
  } catch (error) {
    // An open connection would keep the process alive after a failed start.
    await close().catch(() => undefined);
    throw error;
  }
}

export type { FeedStore, OpenKeyvOptions, OutboxStore, PollCommit, SeenStore, Store, SubscriptionStore };
export { markPendingSeen };
export * from '../domain/records.js';
export { acquireLease, LeaseHeldError, type Lease, type LeaseHolder, type LeaseOptions } from './lease.js';
