// A bolt Receiver mounted on Herald's one HTTP server (no second port): verifies the
// request signature on the raw body, then hands the payload to app.processEvent.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../logger.js';
import { verifySlackSignature } from './signature.js';

const BODY_LIMIT = 1024 * 1024;
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
      return reply(err instanceof TooLarge ? 413 : 400, 'unreadable body');
    }
    const check = verifySlackSignature(
      this.o.signingSecret,
      { timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature'), rawBody: raw },
      (this.o.now ?? Date.now)(),
    );
    if (!check.ok) {
      this.o.logger.warn({ reason: check.reason, remote: req.socket.remoteAddress }, 'rejected a Slack request with a bad signature');
      return reply(401, 'invalid signature');
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
