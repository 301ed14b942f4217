// /feeds pause: stop posting without forgetting the subscription.
import type { SubscriptionRecord } from '../domain/records.js';
import type { ChannelRef } from '../domain/types.js';
import type { AppDeps } from './deps.js';
import { findTargets } from './find.js';

export interface PauseResult {
  paused: SubscriptionRecord[];
  alreadyPaused: SubscriptionRecord[];
}

/**
 * Items that appear while paused are still marked seen by the poller, so resuming
 * does not flood the channel with the backlog; queued items are dropped when sent.
 */
export async function pauseSubscriptions(d: Pick<AppDeps, 'store'>, channel: ChannelRef, target: string): Promise<PauseResult> {
  const out: PauseResult = { paused: [], alreadyPaused: [] };
  for (const sub of findTargets(d, channel, target)) {
    if (sub.paused) {
      out.alreadyPaused.push(sub);
      continue;
    }
    const next = { ...sub, paused: true };
    await d.store.subscriptions.update(next);
    out.paused.push(next);
  }
  return out;
}
