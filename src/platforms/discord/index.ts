// The Discord adapter: gateway for interactions and channel events, REST for posting.
import { Events, RESTEvents, Routes, type Client } from 'discord.js';
import { commands } from '../../../commands/index.js';
import type { UseCases } from '../../application/index.js';
import type { HeraldCore } from '../../core/herald.js';
import type { HttpServer } from '../../http/server.js';
import { toDiscordCommands } from './command-json.js';
import { paceBotRequests } from './bot-rate.js';
import { ChannelDirectory } from './channels.js';
import { wireGatewayEvents } from './events.js';
import { mountHttpInteractions } from './http-interactions.js';
import { createDiscordSender } from './sender.js';
import type { ShardOwnership } from '../../core/runtime/shard-ownership.js';
import { gatewayClient, range, resolveShardCount, type ShardSetting } from './shard-clients.js';
import { publicKeyFromHex } from './verify-signature.js';
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

export interface DiscordAdapterOptions {
  token: string;
  apiUrl: string;
  guildId?: string;
  /** DISCORD_PUBLIC_KEY: also answer commands on POST /discord/interactions. */
  publicKey?: string;
  http?: Pick<HttpServer, 'mount'>;
  /** DISCORD_SHARDS; unset = one shard, as before. */
  shards?: ShardSetting;
  /** Cluster mode: open only the shards this process owns (app.ts passes the cluster's). */
  shardOwnership?: ShardOwnership;
  herald: HeraldCore;
  /** What commands and channel events call. */
  useCases: UseCases;
}

const loginReady = async (client: Client, token: string, apiUrl: string) => {
  const readyP = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token).catch((err: unknown) => {
    throw loginError(err, apiUrl);
  });
  await readyP;
};

export function createDiscordAdapter(opts: DiscordAdapterOptions): PlatformAdapter {
  const { herald } = opts;
  const log = herald.logger.child({ platform: 'discord' });
  // Alone, one client holds every shard; in a cluster this one only sends (REST) and each
  // owned shard gets a client of its own.
  const alone = opts.shards === undefined ? {} : opts.shards === 'auto' ? { shards: 'auto' as const } : { shards: range(opts.shards), shardCount: opts.shards };
  const client = gatewayClient({ apiUrl: opts.apiUrl, ...(opts.shardOwnership ? {} : alone) });
  /** Cluster mode: the gateway client of each shard this process owns. */
  const shardClients = new Map<number, Client>();
  herald.addSender(createDiscordSender(client.rest, herald.clock, herald.pacer, { channels: new ChannelDirectory(client, client.rest, () => shardClients.values()), appId: () => client.application?.id ?? client.user?.id, logger: log }));
  // discord.js retries 429s itself, so this event is the only place to count them. It hands
  // listeners a clone of each response; an unread clone would buffer every body, so drop it.
  client.rest.on(RESTEvents.Response, (_req, res) => {
    if (res.status === 429) herald.metrics.rateLimited.inc({ platform: 'discord' });
    if (res instanceof Response) res.body?.cancel().catch(() => undefined);
  });

  if (opts.publicKey && opts.http) {
    mountHttpInteractions({ http: opts.http, client, publicKey: publicKeyFromHex(opts.publicKey), app: opts.useCases, logger: log });
  }
  let registered = false;
  const register = async (from: Client) => {
    if (registered) return;
    registered = true;
    const appId = from.application?.id ?? from.user?.id ?? '';
    const body = toDiscordCommands(commands);
    const route = opts.guildId ? Routes.applicationGuildCommands(appId, opts.guildId) : Routes.applicationCommands(appId);
    await client.rest.put(route, { body });
    log.info({ commands: body.length, scope: opts.guildId ? `guild ${opts.guildId}` : 'global' }, 'slash commands registered');
    log.info(`Invite Herald to a server: https://discord.com/oauth2/authorize?client_id=${appId}&scope=bot+applications.commands&permissions=${INVITE_PERMISSIONS}`);
  };

  const owners = opts.shardOwnership;
  if (!owners) wireGatewayEvents(client, opts.useCases, log);

  let ready = false;
  return {
    name: 'discord',
    async start() {
      if (!owners) {
        await loginReady(client, opts.token, opts.apiUrl);
        ready = true;
        await register(client);
        return;
      }
      client.rest.setToken(opts.token);
      const shardCount = await resolveShardCount(opts.shards ?? 1, client, opts.token);
      await owners.start({
        shardCount,
        logger: log,
        onAcquire: async (shard) => {
          const c = gatewayClient({ apiUrl: opts.apiUrl, shards: [shard], shardCount });
          // Its requests (command registration, replies) are the bot's too: the same 45/s.
          paceBotRequests(c.rest, herald.pacer, herald.clock);
          wireGatewayEvents(c, opts.useCases, log, owners.claim);
          shardClients.set(shard, c);
          await loginReady(c, opts.token, opts.apiUrl);
          await register(c);
        },
        onLose: async (shard) => {
          const c = shardClients.get(shard);
          shardClients.delete(shard);
          await c?.destroy();
        },
      });
      ready = true;
    },
    async handOver() {
      await owners?.stop();
    },
    async stop() {
      ready = false;
      await owners?.stop(); // a no-op after handOver()
      await client.destroy();
    },
    isReady: () => ready,
  };
}
