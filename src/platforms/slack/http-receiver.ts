// A bolt Receiver mounted on Herald's one HTTP server (no second port): verifies the
// request signature on the raw body, then hands the payload to app.processEvent.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../logger.js';
import { ReplayCache } from './replay-cache.js';
import { verifySlackSignature } from './signature.js';

/**
 * Read before the signature is checked, so an unauthenticated sender can make Herald hold
 * at most this much. Slash commands are a few hundred bytes, interactivity a few KB.
 */
export const BODY_LIMIT = 64 * 1024;
/** Slack gives up after 3 s; answer empty just before that if a listener forgot to ack. */
const ACK_DEADLINE_MS = 2500;

export interface HttpReceiverOptions {
  signingSecret: string;
  http: Pick<HttpServer, 'mount'>;
  path: string;
  logger: Logger;
  now?: () => number;
}

class TooLarge extends Error {}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  // A declared length over the limit is refused before a byte of it is read.
  if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Slash commands are form fields; interactivity is a form with a JSON `payload`; events are JSON. */
export function parseSlackBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType?.includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  const form = Object.fromEntries(new URLSearchParams(text));
  return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export class HttpMountReceiver implements Receiver {
  private app: App | undefined;
  private running = false;
  private mounted = false;
  private readonly replays = new ReplayCache();

  constructor(private readonly o: HttpReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    if (!this.mounted) this.o.http.mount('POST', this.o.path, (req, res) => this.handle(req, res));
    this.mounted = true;
    this.running = true;
  }

  async stop(): Promise<void> {
    // Routes cannot be unmounted; a stopped receiver answers 503 so Slack retries elsewhere or later.
    this.running = false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body?: string, type = 'text/plain') => {
      if (res.headersSent) return;
      res.writeHead(status, body === undefined ? {} : { 'content-type': type });
      res.end(body);
    };
    if (!this.running || !this.app) return reply(503, 'not ready');
    let raw: Buffer;
    try {
      raw = await readRaw(req);
    } catch (err) {
      // The rest of an oversized body is not waited for: the connection closes.
      res.setHeader('connection', 'close');
      return reply(err instanceof TooLarge ? 413 : 400, err instanceof TooLarge ? 'body too large' : 'unreadable body');
    }
    const now = (this.o.now ?? Date.now)();
    const signature = header(req, 'x-slack-signature');
    const check = verifySlackSignature(this.o.signingSecret, { timestamp: header(req, 'x-slack-request-timestamp'), signature, rawBody: raw }, now);
    if (!check.ok) {
      this.o.logger.warn({ reason: check.reason, remote: req.socket.remoteAddress }, 'rejected a Slack request with a bad signature');
      return reply(401, 'invalid signature');
    }
    // Each slash command is one signed request that Slack never re-sends: a repeat is a replay.
    if (!this.replays.firstSeen(signature!, now)) {
      this.o.logger.warn({ remote: req.socket.remoteAddress }, 'rejected a replayed Slack request (same signature seen within 5 minutes)');
      return reply(401, 'replayed request');
    }
    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(raw, header(req, 'content-type'));
    } catch {
      return reply(400, 'unparseable body');
    }
    // Slack probes slash command URLs with ssl_check and event URLs with url_verification.
    if (body.ssl_check) return reply(200);
    if (body.type === 'url_verification') return reply(200, JSON.stringify({ challenge: body.challenge }), 'application/json');

    let acked = false;
    const ack = async (response?: unknown) => {
      if (acked) return;
      acked = true;
      clearTimeout(deadline);
      if (response === undefined || response === '') reply(200);
      else if (typeof response === 'string') reply(200, response);
      else reply(200, JSON.stringify(response), 'application/json');
    };
    const deadline = setTimeout(() => void ack(), ACK_DEADLINE_MS);
    const retryNum = Number(header(req, 'x-slack-retry-num'));
    const event: ReceiverEvent = {
      body,
      ack,
      ...(Number.isFinite(retryNum) && retryNum > 0 ? { retryNum } : {}),
      ...(header(req, 'x-slack-retry-reason') ? { retryReason: header(req, 'x-slack-retry-reason') } : {}),
    };
    try {
      await this.app.processEvent(event);
      await ack(); // nothing listened: still answer, or Slack keeps retrying
    } catch (err) {
      this.o.logger.error({ err }, 'Slack event processing failed');
      clearTimeout(deadline);
      if (!acked) reply(500, 'internal error');
    }
  }
}
