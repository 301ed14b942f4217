// What the rest of Herald may know about the store: the repository interfaces and the Store
// that bundles them, with no implementation. The core imports this module type-only
// (eslint.config.js enforces it), so it never loads a Keyv driver or a repository; only
// src/app.ts, the CLI and the cluster open a store through createStore (index.ts).
import type Keyv from 'keyv';
import type { FeedStore } from './feed-store.js';
import type { StoreKind } from './open-keyv.js';
import type { OutboxStore } from './outbox-store.js';
import type { PollCommit } from './poll-commit.js';
import type { SeenStore } from './seen-store.js';
import type { SubscriptionStore } from './subscription-store.js';

export type { FeedStore, FeedTimes } from './feed-store.js';
export type { StoreKind } from './open-keyv.js';
export type { OutboxStore } from './outbox-store.js';
export type { PollCommit } from './poll-commit.js';
export type { SeenStore, SeenWrite } from './seen-store.js';
export type { SubscriptionStore } from './subscription-store.js';

export interface Store {
  kind: StoreKind;
  keyv: Keyv;
  feeds: FeedStore;
  subscriptions: SubscriptionStore;
  seen: SeenStore;
  outbox: OutboxStore;
  /** A poll's new deliveries and the feed's seen ids, in one atomic write (poll-commit.ts). */
  commitPoll(poll: PollCommit): Promise<void>;
  close(): Promise<void>;
}
