// What a gateway client listens to: slash commands, and channels or servers that went away.
// Shared by the single client and by every shard client of a cluster.
import { Events, type Client } from 'discord.js';
import type { HeraldCore } from '../../core/herald.js';
import type { Logger } from '../../logger.js';
import { channelKey } from '../../domain/records.js';
import type { InteractionClaim } from './shard-ownership.js';
import { handleInteraction } from './interactions.js';

/** `claim`: in a cluster, only the process that claims an interaction answers it. */
export function wireGatewayEvents(client: Client, herald: HeraldCore, log: Logger, claim?: InteractionClaim): void {
  client.on(Events.InteractionCreate, (i) => {
    if (!i.isChatInputCommand()) return;
    const run = async () => {
      if (claim && !(await claim(i.id))) return;
      await handleInteraction(i, herald);
    };
    run().catch((err) => log.error({ err, command: i.commandName }, 'interaction failed'));
  });
  // A deleted channel or a kicked bot will never accept posts again: forget those subscriptions.
  const dropWhere = async (pred: (s: { workspaceId: string; channelId: string }) => boolean, why: string) => {
    for (const s of herald.store.subscriptions.list().filter((s) => s.platform === 'discord' && pred(s))) {
      log.info({ subscription: s.id, channel: s.channelId, why }, 'subscription removed');
      herald.metrics.subscriptionState.inc({ platform: 'discord', state: 'gone' });
      await herald.subscriptions.remove(s.id);
      await herald.queue.clearChannel(channelKey(s)); // keeps the queue-depth gauge true
    }
  };
  client.on(Events.ChannelDelete, (c) => void dropWhere((s) => s.channelId === c.id, 'channel deleted').catch(() => undefined));
  client.on(Events.GuildDelete, (g) => {
    if (g.available === false) return; // an outage, not a removal
    void dropWhere((s) => s.workspaceId === g.id, 'removed from server').catch(() => undefined);
  });
}
