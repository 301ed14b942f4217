// A bolt Receiver mounted on Herald's one HTTP server (no second port). Bolt's own pieces do
// the Slack-specific work: verifySlackRequest (via signature.ts), parseHTTPRequestBody and
// its response builders. Herald keeps on top what Bolt's HTTPReceiver does not give: the
// body cap before the signature is checked, the replay cache, and the ack deadline.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, type App, type BufferedIncomingMessage, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { BodyTooLarge, header, readBody } from '../../http/request-body.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../logger.js';
import { ReplayCache } from './replay-cache.js';
import { verifySlackSignature } from './signature.js';

const { buildContentResponse, buildSSLCheckResponse, buildUrlVerificationResponse, extractRetryNumFromHTTPRequest, extractRetryReasonFromHTTPRequest, parseHTTPRequestBody } = HTTPModuleFunctions;

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

/**
 * Bolt's parser: a form (slash commands), a form with a JSON `payload` (interactivity), or
 * JSON (events). It reads only rawBody and the content type of what it is given.
 */
function parseSlackBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  return parseHTTPRequestBody({ rawBody: raw, headers: { 'content-type': contentType } } as unknown as BufferedIncomingMessage) as Record<string, unknown>;
}

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
      raw = await readBody(req, BODY_LIMIT);
    } catch (err) {
      // The rest of an oversized body is not waited for: the connection closes.
      res.setHeader('connection', 'close');
      return reply(err instanceof BodyTooLarge ? 413 : 400, err instanceof BodyTooLarge ? 'body too large' : 'unreadable body');
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
    if (body.ssl_check) return buildSSLCheckResponse(res);
    if (body.type === 'url_verification') return buildUrlVerificationResponse(res, body);

    let acked = false;
    const ack = async (response?: unknown) => {
      if (acked) return;
      acked = true;
      clearTimeout(deadline);
      if (!res.headersSent) buildContentResponse(res, response);
    };
    const deadline = setTimeout(() => void ack(), ACK_DEADLINE_MS);
    const retryNum = extractRetryNumFromHTTPRequest(req);
    const retryReason = extractRetryReasonFromHTTPRequest(req);
    const event: ReceiverEvent = {
      body,
      ack,
      ...(retryNum !== undefined && Number.isFinite(retryNum) && retryNum > 0 ? { retryNum } : {}),
      ...(retryReason ? { retryReason } : {}),
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
