// A fake Discord (REST + gateway on one port) that the real discord.js talks to.
// Frames and payloads follow /work/shared/docs/platform-fakes.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeBody, readBody, sendJson, waitFor, type MultipartPart } from '../http-util.js';
import { APP_ID, BOT_USER, FakeGateway, type FakeGuild } from './gateway.js';
import { interactionPayload, type InteractOptions } from './interaction.js';
import { openApiChecker, violationReport, type Violation } from './openapi.js';
import { routePlaces } from './place-routes.js';
import { isForumType, NonceLedger, type FakeChannelState, type FakeThread, type FakeWebhook, type WebhookExecution } from './places.js';
import { DISCORD_LIMITS, FakeRateLimiter, type RateLimitSettings } from './rate-limits.js';

export interface PostedMessage {
  id: string;
  channelId: string;
  body: Record<string, unknown>;
  at: number;
  /** Set when a channel webhook posted it (not the bot itself). */
  webhookId?: string;
}

export interface InteractionReply {
  content: string;
  ephemeral: boolean;
  files: MultipartPart[];
  body: Record<string, unknown>;
}

/** A scripted answer for POST /channels/{id}/messages. */
export interface ChannelFault {
  status: number;
  code?: number;
  retryAfter?: number;
  /** How many requests get the fault; undefined = all. */
  times?: number;
}

export class FakeDiscord {
  readonly server: Server;
  readonly gateway: FakeGateway;
  readonly messages: PostedMessage[] = [];
  readonly requests: { method: string; path: string }[] = [];
  readonly commandRegistrations: { path: string; body: unknown }[] = [];
  readonly replies = new Map<string, InteractionReply[]>();
  /** Interaction ids that got their initial response (callback). */
  private readonly acknowledged = new Set<string>();
  private readonly openApi = openApiChecker();
  /** Bodies not yet checked: validation waits until asked, so it never slows an answer a timing test measures. */
  private readonly unchecked: { method: string; path: string; json: unknown }[] = [];
  private readonly violations: Violation[] = [];

  /** Request bodies that do not validate against Discord's OpenAPI description; the e2e fixture fails a test that left any. */
  get openApiViolations(): Violation[] {
    for (const r of this.unchecked.splice(0)) {
      const errors = this.openApi?.check(r.method, r.path, r.json) ?? [];
      if (errors.length) this.violations.push({ method: r.method, path: r.path, errors });
    }
    return this.violations;
  }
  private readonly faults = new Map<string, ChannelFault>();
  /** Every channel by id: the guilds' own, and threads created since. */
  readonly channels = new Map<string, FakeChannelState>();
  readonly threads: FakeThread[] = [];
  readonly webhooks = new Map<string, FakeWebhook>();
  readonly executions: WebhookExecution[] = [];
  readonly crossposts: { channelId: string; messageId: string }[] = [];
  /** Channels where Herald lacks Manage Webhooks: creating or listing webhooks answers 403. */
  readonly webhookDenied = new Set<string>();
  private nextId = 1_000_000n;
  port = 0;
  /** Set by enforceRateLimits(); off by default so functional tests run at full speed. */
  rateLimits: FakeRateLimiter | undefined;
  /** 429 answers of any cause (scripted faults, buckets, global). */
  tooManyRequests = 0;
  /**
   * Delay before answering a message POST, after the message is stored: Discord accepted
   * it but the answer is slow. Lets a test kill Herald while a send is in flight.
   */
  messageDelayMs = 0;
  /**
   * How many message POSTs are stored but never answered: the socket is destroyed instead,
   * as when a connection dies after Discord created the message. Herald must retry.
   */
  lostAnswers = 0;
  /** enforce_nonce bookkeeping for POST /channels/{id}/messages. */
  readonly nonces = new NonceLedger();

  constructor(readonly guilds: FakeGuild[] = [{ id: '200000000000000001', channels: ['300000000000000001', '300000000000000002'] }]) {
    for (const g of guilds) {
      for (const c of g.channels) {
        const spec = typeof c === 'string' ? { id: c } : c;
        this.channels.set(spec.id, { id: spec.id, type: spec.type ?? 0, name: spec.name ?? `channel-${spec.id}`, guildId: g.id, tags: spec.tags ?? [], ...(spec.parentId ? { parentId: spec.parentId } : {}) });
      }
    }
    this.gateway = new FakeGateway(guilds, () => this.url, (id) => [...this.channels.values()].filter((c) => c.guildId === id));
    this.server = createServer((req, res) => void this.route(req, res).catch((err) => sendJson(res, 500, { message: String(err) })));
    this.server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** DISCORD_API_URL for Herald. */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Throws when a request body did not validate against Discord's OpenAPI description (call after a test). */
  throwIfInvalidRequests(): void {
    const report = violationReport(this.openApiViolations);
    if (report) throw new Error(report);
  }

  snowflake(): string {
    return String(this.nextId++);
  }

  /** Realistic limits: 5 messages / 5 s per channel with bucket headers, 50 requests/s globally. */
  enforceRateLimits(settings: RateLimitSettings = DISCORD_LIMITS): FakeRateLimiter {
    this.rateLimits = new FakeRateLimiter(settings);
    return this.rateLimits;
  }

  fault(channelId: string, fault: ChannelFault | undefined) {
    if (fault) this.faults.set(channelId, fault);
    else this.faults.delete(channelId);
  }

  messagesIn(channelId: string): PostedMessage[] {
    return this.messages.filter((m) => m.channelId === channelId);
  }

  waitForMessages(channelId: string, count: number, timeoutMs = 15_000): Promise<PostedMessage[]> {
    return waitFor(() => (this.messagesIn(channelId).length >= count ? this.messagesIn(channelId) : undefined), timeoutMs, `${count} message(s) in ${channelId}`);
  }

  /** Sends a slash command through the gateway and resolves with Herald's final reply. */
  async interact(opts: InteractOptions, timeoutMs = 15_000): Promise<InteractionReply> {
    const guild = this.guilds[0]!;
    const first = guild.channels[0]!;
    const channelId = opts.channelId ?? (typeof first === 'string' ? first : first.id);
    const payload = interactionPayload({ guildId: guild.id, ...opts, channelId, channelType: this.channels.get(channelId)?.type ?? 0 }, this.snowflake(), APP_ID);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return waitFor(() => this.replies.get(payload.token)?.at(-1), timeoutMs, `a reply to /${opts.name}`);
  }

  private reply(token: string, body: Record<string, unknown>, files: MultipartPart[]) {
    const flags = Number(body.flags ?? 0);
    const list = this.replies.get(token) ?? [];
    list.push({ content: String(body.content ?? ''), ephemeral: (flags & 64) === 64, files, body });
    this.replies.set(token, list);
  }

  /** A webhook was deleted in Discord (by a person): executing it answers 404 from now on. */
  deleteWebhook(id: string) {
    this.webhooks.delete(id);
  }

  /** Messages posted by a webhook (whatever channel or thread they landed in). */
  webhookMessages(): PostedMessage[] {
    return this.messages.filter((m) => m.webhookId);
  }

  /** Stores a message posted somewhere and answers its message object. */
  store(channelId: string, body: Record<string, unknown>, author?: Record<string, unknown>, webhookId?: string) {
    const msg = this.messageJson(channelId, body, undefined, author, webhookId);
    this.messages.push({ id: msg.id, channelId, body, at: Date.now(), ...(webhookId ? { webhookId } : {}) });
    return msg;
  }

  messageJson(channelId: string, body: Record<string, unknown>, id?: string, author?: Record<string, unknown>, webhookId?: string) {
    return { ...this.message(channelId, body), ...(id ? { id } : {}), ...(author ? { author } : {}), ...(webhookId ? { webhook_id: webhookId } : {}) };
  }

  private message(channelId: string, body: Record<string, unknown>) {
    return { id: this.snowflake(), channel_id: channelId, author: BOT_USER, content: body.content ?? '', embeds: body.embeds ?? [], attachments: [], mentions: [], mention_roles: [], pinned: false, mention_everyone: false, tts: false, timestamp: new Date().toISOString(), edited_timestamp: null, flags: 0, components: [], type: 0 };
  }

  private async route(req: IncomingMessage, res: ServerResponse) {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\/api(\/v\d+)?/, ''));
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path });
    const raw = await readBody(req);
    const { json, files } = decodeBody(raw, req.headers['content-type']);
    if (raw.length && this.openApi) this.unchecked.push({ method, path, json: structuredClone(json) });
    let m: RegExpExecArray | null;
    // Interaction responses are exempt from the global limit on Discord too.
    if (this.rateLimits && !/^\/(interactions|webhooks)\//.test(path)) {
      const verdict = this.rateLimits.checkGlobal();
      if (!verdict.ok) {
        this.tooManyRequests++;
        return sendJson(res, verdict.status, verdict.body, verdict.headers);
      }
    }
    if (method === 'GET' && path === '/gateway/bot') {
      return sendJson(res, 200, { url: `ws://127.0.0.1:${this.port}/gateway`, shards: this.gateway.recommendedShards, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      this.commandRegistrations.push({ path, body: json });
      const list = (json as unknown as { name: string }[]).map((c) => ({ ...c, id: this.snowflake(), application_id: APP_ID, version: '1' }));
      return sendJson(res, 200, list);
    }
    if (method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      // Discord takes one initial response per interaction; a second one is refused.
      if (this.acknowledged.has(m[1]!)) return sendJson(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      this.acknowledged.add(m[1]!);
      if (json.type === 4) this.reply(m[2]!, (json.data ?? {}) as Record<string, unknown>, files);
      res.writeHead(204).end();
      return;
    }
    if (await routePlaces(this, method, path, query, json, res)) return;
    if ((m = /^\/webhooks\/\d+\/([^/]+)(\/messages\/@original)?$/.exec(path))) {
      if (method === 'DELETE') return void res.writeHead(204).end();
      this.reply(m[1]!, json, files);
      return sendJson(res, 200, this.message('0', json));
    }
    if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages$/.exec(path))) return this.postMessage(m[1]!, json, res);
    return sendJson(res, 404, { message: `fake Discord has no route ${method} ${path}`, code: 0 });
  }

  private async postMessage(channelId: string, json: Record<string, unknown>, res: ServerResponse) {
    const fault = this.faults.get(channelId);
    if (fault && (fault.times === undefined || fault.times > 0)) {
      if (fault.times !== undefined) fault.times--;
      if (fault.status === 429) {
        this.tooManyRequests++;
        const after = fault.retryAfter ?? 0.05;
        return sendJson(res, 429, { message: 'You are being rate limited.', retry_after: after, global: false }, { 'retry-after': String(Math.ceil(after)), 'x-ratelimit-scope': 'user' });
      }
      return sendJson(res, fault.status, { message: `fault ${fault.status}`, code: fault.code ?? 0 });
    }
    // Forum and media channels take forum posts only (POST /channels/{id}/threads).
    if (isForumType(this.channels.get(channelId)?.type ?? 0)) return sendJson(res, 400, { message: 'Cannot send messages in a non-text channel', code: 50008 });
    let headers: Record<string, string> = {};
    if (this.rateLimits) {
      const verdict = this.rateLimits.checkChannel(channelId);
      if (!verdict.ok) {
        this.tooManyRequests++;
        return sendJson(res, verdict.status, verdict.body, verdict.headers);
      }
      headers = verdict.headers;
    }
    if (typeof json.nonce === 'string' && json.nonce.length > 25) return sendJson(res, 400, { message: 'Invalid Form Body (nonce)', code: 50035 });
    // A repeat of an enforced nonce: Discord answers the message it created then, and posts nothing.
    const earlier = this.nonces.find(channelId, BOT_USER.id, json);
    if (earlier) return sendJson(res, 200, earlier, headers);
    const msg = { ...this.message(channelId, json), ...(json.nonce !== undefined && json.nonce !== null ? { nonce: json.nonce } : {}) };
    this.messages.push({ id: msg.id, channelId, body: json, at: Date.now() });
    this.nonces.note(channelId, BOT_USER.id, json, msg);
    if (this.messageDelayMs) await new Promise((r) => setTimeout(r, this.messageDelayMs));
    if (this.lostAnswers > 0) {
      this.lostAnswers--;
      res.socket?.destroy();
      return;
    }
    return sendJson(res, 200, msg, headers);
  }
}
