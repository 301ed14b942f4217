// Small record builders shared by the store tests.
import type { ChannelRef } from '../../src/domain/types.js';
import { createStore, type Delivery, type Store, type SubscriptionRecord } from '../../src/store/index.js';
import type { Backend } from './backends.js';

export const channelA: ChannelRef = { platform: 'discord', workspaceId: 'g1', channelId: 'c-a' };
export const channelB: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C-B' };

export function newSub(feedId: string, channel: ChannelRef, createdAt: number, extra: Partial<SubscriptionRecord> = {}): Omit<SubscriptionRecord, 'id'> {
  return { ...channel, feedId, feedUrl: `https://example.test/${feedId}`, createdBy: 'u1', createdAt, paused: false, state: 'active', ...extra };
}

export function delivery(id: string, subscriptionId = 's1'): Delivery {
  return { id, subscriptionId, feedId: 'f1', itemId: `item-${id}`, seenAt: 1000, attempts: 0, message: { kind: 'notice', text: `message ${id}` } };
}

/** Opens stores on one backend and closes whatever a test left open. */
export function storeOpener(backend: Backend) {
  const open: Store[] = [];
  return {
    async open(namespace: string): Promise<Store> {
      const store = await createStore(backend.url, namespace);
      open.push(store);
      return store;
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.splice(0).map((s) => s.close()));
    },
  };
}
