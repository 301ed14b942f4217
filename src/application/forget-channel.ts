// A channel deleted or archived, or Herald removed from a server, will never accept posts
// again: forget its subscriptions (with their filters and templates) and its queued posts.
// Each platform's events say *when*; this is the one place that says *what*.
import { channelKey } from '../domain/records.js';
import type { Platform } from '../domain/types.js';
import type { AppDeps } from './deps.js';

/** Which channels went away: one channel, or every channel of a workspace (a server Herald left). */
export type GoneChannels = { platform: Platform; channelId: string } | { platform: Platform; workspaceId: string };

/** Removes every subscription of the channels; returns how many there were. */
export async function forgetChannels(d: Pick<AppDeps, 'store' | 'subscriptions' | 'queue' | 'metrics' | 'logger'>, gone: GoneChannels, why: string): Promise<number> {
  const subs = d.store.subscriptions.list().filter((s) => s.platform === gone.platform && ('channelId' in gone ? s.channelId === gone.channelId : s.workspaceId === gone.workspaceId));
  const channels = new Set<string>();
  for (const s of subs) {
    d.logger.info({ platform: s.platform, subscription: s.id, channel: s.channelId, why }, 'subscription removed');
    d.metrics.subscriptionState.inc({ platform: s.platform, state: 'gone' });
    await d.subscriptions.remove(s.id);
    channels.add(channelKey(s));
  }
  // Keeps the queue-depth gauge true: nothing queued there can be sent any more.
  for (const key of channels) await d.queue.clearChannel(key);
  return subs.length;
}
