// What a gateway client listens to: slash commands, and channels or servers that went away.
// Shared by the single client and by every shard client of a cluster.
import { Events, type Client } from 'discord.js';
import type { UseCases } from '../../application/index.js';
import type { Logger } from '../../logger.js';
import type { InteractionClaim } from '../../core/runtime/shard-ownership.js';
import { handleInteraction } from './interactions.js';

/** `claim`: in a cluster, only the process that claims an interaction answers it. */
export function wireGatewayEvents(client: Client, app: UseCases, log: Logger, claim?: InteractionClaim): void {
  client.on(Events.InteractionCreate, (i) => {
    if (!i.isChatInputCommand()) return;
    const run = async () => {
      if (claim && !(await claim(i.id))) return;
      await handleInteraction(i, app);
    };
    run().catch((err) => log.error({ err, command: i.commandName }, 'interaction failed'));
  });
  // A deleted channel or a kicked bot will never accept posts again: forget those subscriptions.
  const forget = (gone: Parameters<UseCases['forgetChannels']>[0], why: string) =>
    void app.forgetChannels(gone, why).catch((err: unknown) => log.error({ err, ...gone }, 'could not forget a channel Discord removed'));
  client.on(Events.ChannelDelete, (c) => forget({ platform: 'discord', channelId: c.id }, 'channel deleted'));
  client.on(Events.GuildDelete, (g) => {
    if (g.available === false) return; // an outage, not a removal
    forget({ platform: 'discord', workspaceId: g.id }, 'removed from server');
  });
}
