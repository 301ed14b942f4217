// Slack's word that a channel is gone for good: deleted or archived. Only then are its
// subscriptions (with their filters and templates) forgotten; `channel_not_found` on a post
// merely blocks them, since Slack says that too for a private channel Herald was removed from.
import type { App } from '@slack/bolt';
import type { UseCases } from '../../application/index.js';
import type { Logger } from '../../logger.js';

/** Needs channels:read (public) and groups:read (private) plus these bot events in the manifest. */
export const CHANNEL_GONE_EVENTS = ['channel_deleted', 'channel_archive', 'group_deleted', 'group_archive'] as const;

export function registerChannelEvents(app: App, useCases: Pick<UseCases, 'forgetChannels'>, log: Logger): void {
  for (const name of CHANNEL_GONE_EVENTS) {
    app.event(name, async ({ event }) => {
      const channel = (event as { channel?: unknown }).channel;
      if (typeof channel !== 'string') return;
      await useCases
        .forgetChannels({ platform: 'slack', channelId: channel }, name.endsWith('archive') ? 'channel archived' : 'channel deleted')
        .catch((err: unknown) => log.error({ err, channel }, 'could not forget a deleted Slack channel'));
    });
  }
}
