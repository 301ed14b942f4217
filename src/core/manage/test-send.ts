// After a platform block, the only honest check is to post something and see.
// The notice goes through the normal outbox, so it is retried, ordered and
// classified exactly like feed items are.
import { channelKey, type Delivery, type SubscriptionRecord } from '../../domain/records.js';
import type { ManageDeps } from './target.js';

export const TEST_NOTICE = 'Herald can post here again.';

export type SendCheck = { status: 'ok' } | { status: 'failed'; reason: string } | { status: 'pending' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function testSend(herald: ManageDeps, sub: SubscriptionRecord, timeoutMs = 10_000): Promise<SendCheck> {
  const { store, queue } = herald;
  const seenAt = herald.clock.now();
  const id = `${sub.id}:resume-test:${seenAt}`;
  const delivery: Delivery = { id, subscriptionId: sub.id, feedId: sub.feedId, seenAt, attempts: 0, message: { kind: 'notice', text: TEST_NOTICE } };
  await queue.enqueue(sub, [delivery]);
  const key = channelKey(sub);
  const deadline = Date.now() + timeoutMs;
  // The queue has no per-delivery callback; watching the subscription and the outbox row is
  // enough. Older deliveries kept while blocked go first, so any of them can fail the check.
  for (;;) {
    const after = store.subscriptions.get(sub.id);
    if (!after) return { status: 'failed', reason: 'the platform says this channel no longer exists' };
    if (after.state === 'blocked') {
      // Otherwise it would say "can post again" at the next resume, long after the fact.
      await store.outbox.remove(key, [id]);
      return { status: 'failed', reason: after.blockedReason ?? 'Herald still may not post here' };
    }
    if (!(await store.outbox.list(key)).some((d) => d.id === id)) return { status: 'ok' };
    if (Date.now() > deadline) return { status: 'pending' };
    await sleep(100);
  }
}
