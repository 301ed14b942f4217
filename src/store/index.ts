// createStore: opens the backend and builds every repository on it.
import type Keyv from 'keyv';
import { createFeedStore, type FeedStore } from './feed-store.js';
import { openKeyv, storeKind, type OpenKeyvOptions, type StoreKind } from './open-keyv.js';
import { createOutboxStore, type OutboxStore } from './outbox-store.js';
import { createSeenStore, type SeenStore } from './seen-store.js';
import { createSubscriptionStore, type SubscriptionStore } from './subscription-store.js';

/** Bump when a stored shape changes incompatibly, and add a migration in migrate(). */
export const SCHEMA_VERSION = 1;

export interface Store {
  kind: StoreKind;
  keyv: Keyv;
  feeds: FeedStore;
  subscriptions: SubscriptionStore;
  seen: SeenStore;
  outbox: OutboxStore;
  close(): Promise<void>;
}

async function migrate(keyv: Keyv): Promise<void> {
  const version = (await keyv.get('schema:version')) as number | undefined;
  if (version !== undefined && version > SCHEMA_VERSION) {
    throw new Error(`DATABASE_URL: the store has schema version ${version}, newer than this Herald (${SCHEMA_VERSION}); upgrade Herald`);
  }
  // No migrations yet: version 1 is the first shape.
  if (version !== SCHEMA_VERSION) await keyv.set('schema:version', SCHEMA_VERSION);
}

export async function createStore(databaseUrl: string, namespace = 'herald', opts: OpenKeyvOptions = {}): Promise<Store> {
  const keyv = await openKeyv(databaseUrl, namespace, opts);
  let closing: Promise<void> | undefined;
  // Several owners (shutdown, a failed start, tests) may close; the drivers dislike a second call.
  const close = () => (closing ??= keyv.disconnect());
  try {
    await migrate(keyv);
    return {
      kind: storeKind(databaseUrl),
      keyv,
      feeds: await createFeedStore(keyv),
      subscriptions: await createSubscriptionStore(keyv),
      seen: createSeenStore(keyv),
      outbox: createOutboxStore(keyv),
      close,
    };
  } catch (error) {
    // An open connection would keep the process alive after a failed start.
    await close().catch(() => undefined);
    throw error;
  }
}

export type { FeedStore, OpenKeyvOptions, OutboxStore, SeenStore, SubscriptionStore };
export * from './records.js';
export { acquireLease, LeaseHeldError, type Lease, type LeaseHolder, type LeaseOptions } from './lease.js';
