// Discord's HTTP interactions endpoint (DISCORD_PUBLIC_KEY): POST /discord/interactions on
// Herald's one HTTP server. Any process behind a load balancer can answer, since a command
// is one stateless request. Verified requests become discord.js interaction objects, so
// the same handleInteraction as the gateway path runs; only the first answer differs:
// it goes back in the HTTP response (Discord's rule for this endpoint), and later ones
// (edits, follow-ups) go through the interaction webhook as usual.
import type { ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { ChatInputCommandInteraction, InteractionResponseType, InteractionType, MessageFlags, MessagePayload, type Client, type InteractionReplyOptions } from 'discord.js';
import type { UseCases } from '../../application/index.js';
import { BodyTooLarge, header, readBody } from '../../http/request-body.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../logger.js';
import { handleInteraction } from './interactions.js';
import { verifyDiscordSignature } from './verify-signature.js';

export const INTERACTIONS_PATH = '/discord/interactions';
const BODY_LIMIT = 1024 * 1024;

type Answer = { type: number; data?: Record<string, unknown> };
type Construct = new (client: Client, data: unknown) => ChatInputCommandInteraction;

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/**
 * A discord.js interaction whose first reply or defer resolves `answer` instead of calling
 * the callback endpoint. A reply with a file is sent as a defer plus an edit, because an
 * HTTP answer carries JSON only.
 */
function httpInteraction(client: Client, data: unknown, answer: (a: Answer) => void): ChatInputCommandInteraction {
  const i = new (ChatInputCommandInteraction as unknown as Construct)(client, data);
  const mutable = i as unknown as { deferred: boolean; replied: boolean; ephemeral: boolean };
  i.deferReply = (async (opts: { flags?: number } = {}) => {
    const flags = Number(opts.flags ?? 0) & MessageFlags.Ephemeral;
    answer({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags } });
    mutable.deferred = true;
    mutable.ephemeral = flags !== 0;
    return undefined;
  }) as unknown as ChatInputCommandInteraction['deferReply'];
  i.reply = (async (opts: InteractionReplyOptions | string) => {
    const payload = MessagePayload.create(i, opts);
    const { body, files } = await payload.resolveBody().resolveFiles();
    const flags = Number((body as { flags?: number }).flags ?? 0);
    if (files?.length) {
      await i.deferReply({ flags: flags & MessageFlags.Ephemeral });
      await i.editReply(typeof opts === 'string' ? opts : { ...opts, flags: undefined } as Parameters<ChatInputCommandInteraction['editReply']>[0]);
    } else answer({ type: InteractionResponseType.ChannelMessageWithSource, data: body as Record<string, unknown> });
    mutable.replied = true;
    mutable.ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
    return undefined;
  }) as unknown as ChatInputCommandInteraction['reply'];
  return i;
}

export function mountHttpInteractions(opts: { http: Pick<HttpServer, 'mount'>; client: Client; publicKey: KeyObject; app: UseCases; logger: Logger }): void {
  const { client, app, logger } = opts;
  opts.http.mount('POST', INTERACTIONS_PATH, async (req, res) => {
    let raw: Buffer;
    try {
      raw = await readBody(req, BODY_LIMIT);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      // The rest of an oversized body is not waited for: the connection closes.
      res.setHeader('connection', 'close');
      return send(res, 413, { error: 'body too large' });
    }
    if (!verifyDiscordSignature(opts.publicKey, header(req, 'x-signature-ed25519'), header(req, 'x-signature-timestamp'), raw)) {
      return send(res, 401, { error: 'invalid request signature' });
    }
    let data: { type?: number; data?: { type?: number; name?: string } };
    try {
      data = JSON.parse(raw.toString('utf8')) as typeof data;
    } catch {
      return send(res, 400, { error: 'body is not JSON' });
    }
    if (data.type === InteractionType.Ping) return send(res, 200, { type: InteractionResponseType.Pong });
    if (data.type !== InteractionType.ApplicationCommand || data.data?.type !== 1) {
      return send(res, 200, { type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'Herald only answers slash commands.', flags: MessageFlags.Ephemeral } });
    }
    // The handler returns once the first answer is out; the command may go on (edits).
    await new Promise<void>((resolve) => {
      let answered = false;
      const answer = (a: Answer) => {
        if (answered) return;
        answered = true;
        send(res, 200, a);
        resolve();
      };
      const fail = (err: unknown) => {
        logger.error({ err, command: data.data?.name }, 'interaction failed');
        answer({ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'Something went wrong; please try again.', flags: MessageFlags.Ephemeral } });
      };
      let i: ChatInputCommandInteraction;
      try {
        i = httpInteraction(client, data, answer);
      } catch (err) {
        return fail(err);
      }
      handleInteraction(i, app).then(() => {
        if (!answered) fail(new Error('command finished without a reply'));
      }, fail);
    });
  });
}
