// The Discord adapter: gateway for interactions and channel events, REST for posting.
import { Client, Events, GatewayIntentBits, RESTEvents, Routes } from 'discord.js';
import { commands } from '../../../commands/index.js';
import type { HeraldCore } from '../../core/herald.js';
import { channelKey } from '../../store/records.js';
import { toDiscordCommands } from './command-json.js';
import { handleInteraction } from './interactions.js';
import { makeRequest } from './make-request.js';
import { ChannelDirectory } from './channels.js';
import { createDiscordSender } from './sender.js';
import type { PlatformAdapter } from '../adapter.js';

/**
 * View Channel, Send Messages, Embed Links, Attach Files; Manage Webhooks (posting as the
 * feed), Create Public Threads and Send Messages in Threads (threads, forum posts).
 */
export const INVITE_PERMISSIONS = (1024n + 2048n + 16384n + 32768n + (1n << 29n) + (1n << 35n) + (1n << 38n)).toString();

/** Login failures named by the setting to fix: the token, or where DISCORD_API_URL points. */
export function loginError(err: unknown, apiUrl: string): Error {
  const e = err as { code?: unknown; status?: unknown; message?: string; cause?: { code?: unknown } };
  if (e.code === 'TokenInvalid' || e.status === 401) return new Error('Discord refused DISCORD_TOKEN (401 Unauthorized): copy the token again from the Developer Portal (Bot → Reset Token)');
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  if (code && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code)) return new Error(`cannot reach Discord at DISCORD_API_URL=${apiUrl}: ${e.message ?? code}`);
  return err instanceof Error ? err : new Error(String(err));
}

export function createDiscordAdapter(opts: { token: string; apiUrl: string; guildId?: string; herald: HeraldCore }): PlatformAdapter {
  const { herald } = opts;
  const log = herald.logger.child({ platform: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: { api: opts.apiUrl, makeRequest },
  });
  herald.addSender(createDiscordSender(client.rest, Date.now, { channels: new ChannelDirectory(client, client.rest), appId: () => client.application?.id ?? client.user?.id, logger: log }));
  // discord.js retries 429s itself, so this event is the only place to count them. It hands
  // listeners a clone of each response; an unread clone would buffer every body, so drop it.
  client.rest.on(RESTEvents.Response, (_req, res) => {
    if (res.status === 429) herald.metrics.rateLimited.inc({ platform: 'discord' });
    if (res instanceof Response) res.body?.cancel().catch(() => undefined);
  });

  client.on(Events.InteractionCreate, (i) => {
    if (!i.isChatInputCommand()) return;
    handleInteraction(i, herald).catch((err) => log.error({ err, command: i.commandName }, 'interaction failed'));
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

  let ready = false;
  return {
    name: 'discord',
    async start() {
      const readyP = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(opts.token).catch((err: unknown) => {
        throw loginError(err, opts.apiUrl);
      });
      await readyP;
      ready = true;
      const appId = client.application?.id ?? client.user?.id ?? '';
      const body = toDiscordCommands(commands);
      const route = opts.guildId ? Routes.applicationGuildCommands(appId, opts.guildId) : Routes.applicationCommands(appId);
      await client.rest.put(route, { body });
      log.info({ commands: body.length, scope: opts.guildId ? `guild ${opts.guildId}` : 'global' }, 'slash commands registered');
      log.info(`Invite Herald to a server: https://discord.com/oauth2/authorize?client_id=${appId}&scope=bot+applications.commands&permissions=${INVITE_PERMISSIONS}`);
    },
    async stop() {
      ready = false;
      await client.destroy();
    },
    isReady: () => ready,
  };
}
