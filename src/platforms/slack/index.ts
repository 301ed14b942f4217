// The Slack adapter: bolt for slash commands (HTTP on Herald's server, or Socket Mode),
// its WebClient for posting. SLACK_APP_TOKEN switches to Socket Mode.
import { App, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { UseCases } from '../../application/index.js';
import type { HeraldCore } from '../../core/herald.js';
import type { HttpServer } from '../../http/server.js';
import type { PlatformAdapter } from '../adapter.js';
import { AdminChecker } from './admins.js';
import { boltLogger } from './bolt-logger.js';
import { registerChannelEvents } from './channel-events.js';
import { HttpMountReceiver } from './http-receiver.js';
import { createSlackSender } from './sender.js';
import { slackErrorCode } from './slack-errors.js';
import { registerSlashCommands } from './slash-commands.js';

import { EVENTS_PATH } from './events-path.js';

export { EVENTS_PATH } from './events-path.js';

export interface SlackAdapterOptions {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** Web API base, e.g. https://slack.com/api/ (Socket Mode's apps.connections.open goes there too). */
  apiUrl: string;
  adminsOnly: boolean;
  /** SLACK_COMMAND_PREFIX: the manifest's commands are /{prefix}subscribe and so on. */
  commandPrefix?: string;
  herald: HeraldCore;
  /** What commands and channel events call. */
  useCases: UseCases;
  http: Pick<HttpServer, 'mount'>;
}

export function createSlackAdapter(opts: SlackAdapterOptions): PlatformAdapter {
  const { herald } = opts;
  const log = herald.logger.child({ platform: 'slack' });
  const logger = boltLogger(log);
  // No retries inside the client: the core queue retries (and never drops) with Retry-After.
  const clientOptions: webApi.WebClientOptions = { slackApiUrl: opts.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };

  let connected = !opts.appToken;
  let socket: SocketModeReceiver | undefined;
  if (opts.appToken) {
    socket = new SocketModeReceiver({
      appToken: opts.appToken,
      logger,
      // Its own client for apps.connections.open: a reconnect during an outage keeps trying
      // (at most a minute apart) instead of giving up. A wrong SLACK_API_URL still fails fast,
      // in start()'s auth.test, which uses the no-retry client above.
      installerOptions: { clientOptions: { slackApiUrl: opts.apiUrl, retryConfig: { retries: 100, factor: 1.3, maxTimeout: 60_000 } } },
    });
    socket.client.on('connected', () => (connected = true));
    socket.client.on('disconnected', () => (connected = false));
    socket.client.on('reconnecting', () => (connected = false));
  } else if (!opts.signingSecret) {
    throw new Error('Slack needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)');
  }
  const receiver = socket ?? new HttpMountReceiver({ signingSecret: opts.signingSecret!, http: opts.http, path: EVENTS_PATH, logger: log });
  // deferInitialization: auth.test runs in start(), where a bad token fails startup with a clear error.
  const app = new App({ token: opts.botToken, receiver, logger, clientOptions, deferInitialization: true });

  let scopes: Set<string> | undefined;
  registerSlashCommands({
    app,
    useCases: opts.useCases,
    logger: log,
    scopes: () => scopes,
    prefix: opts.commandPrefix ?? '',
    ...(opts.adminsOnly ? { admins: new AdminChecker(app.client) } : {}),
  });
  registerChannelEvents(app, opts.useCases, log);
  herald.addSender(createSlackSender({ client: app.client, logger: log, pacer: herald.pacer, onRateLimited: () => herald.metrics.rateLimited.inc({ platform: 'slack' }) }));

  let started = false;
  return {
    name: 'slack',
    async start() {
      const auth = await app.client.auth.test().catch((err: unknown) => {
        const code = slackErrorCode(err);
        throw new Error(code ? `Slack refused SLACK_BOT_TOKEN (auth.test: ${code})` : `cannot reach Slack at SLACK_API_URL=${opts.apiUrl}: ${(err as Error).message}`);
      });
      scopes = auth.response_metadata?.scopes ? new Set(auth.response_metadata.scopes) : undefined;
      const missing = ['commands', 'chat:write', 'channels:read', 'groups:read'].filter((s) => scopes && !scopes.has(s));
      if (missing.length) log.warn({ missing }, `the Slack bot token lacks ${missing.join(', ')}; see config/slack-manifest.yml`);
      await app.init();
      await app.start();
      started = true;
      log.info(
        { team: auth.team, teamId: auth.team_id, bot: auth.user, mode: socket ? 'socket' : 'http' },
        socket ? 'Slack connected (Socket Mode)' : `Slack ready: slash commands go to POST ${EVENTS_PATH} on this server`,
      );
    },
    async stop() {
      started = false;
      // Socket Mode's receiver.stop() does not wait for the socket to close; disconnect() does.
      if (socket) await socket.client.disconnect();
      else await app.stop();
    },
    isReady: () => started && connected,
  };
}
