// Slack's word that a channel is gone for good: deleted or archived. Only then are its
// subscriptions (with their filters and templates) forgotten; `channel_not_found` on a post
// merely blocks them, since Slack says that too for a private channel Herald was removed from.
import type { App } from '@slack/bolt';
import type { HeraldCore } from '../../core/herald.js';
import type { Logger } from '../../logger.js';
import { channelKey } from '../../domain/records.js';

/** Needs channels:read (public) and groups:read (private) plus these bot events in the manifest. */
export const CHANNEL_GONE_EVENTS = ['channel_deleted', 'channel_archive', 'group_deleted', 'group_archive'] as const;

type Core = Pick<HeraldCore, 'store' | 'subscriptions' | 'queue' | 'metrics'>;

/** Forgets every Slack subscription of one channel; returns how many there were. */
export async function forgetSlackChannel(herald: Core, log: Logger, channelId: string, why: string): Promise<number> {
  const subs = herald.store.subscriptions.list().filter((s) => s.platform === 'slack' && s.channelId === channelId);
  for (const s of subs) {
    log.info({ subscription: s.id, channel: channelId, why }, 'subscription removed');
    herald.metrics.subscriptionState.inc({ platform: 'slack', state: 'gone' });
    await herald.subscriptions.remove(s.id);
  }
  if (subs[0]) await herald.queue.clearChannel(channelKey(subs[0])); // keeps the queue-depth gauge true
  return subs.length;
}

export function registerChannelEvents(app: App, herald: Core, log: Logger): void {
  for (const name of CHANNEL_GONE_EVENTS) {
    app.event(name, async ({ event }) => {
      const channel = (event as { channel?: unknown }).channel;
      if (typeof channel !== 'string') return;
      await forgetSlackChannel(herald, log, channel, name.endsWith('archive') ? 'channel archived' : 'channel deleted').catch((err: unknown) =>
        log.error({ err, channel }, 'could not forget a deleted Slack channel'),
      );
    });
  }
}
