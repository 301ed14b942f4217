// A fake Slack (Web API + response_url + file uploads + Socket Mode) that the real bolt
// talks to on loopback. Frames and payloads follow /work/shared/docs/platform-fakes.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMultipart, readBody, sendJson, waitFor } from '../http-util.js';
import { FakeSocketMode } from './socket.js';
import { DEFAULT_CHANNELS, DEFAULT_SCOPES, DEFAULT_USERS, type ApiCall, type FakeChannel, type FakeUser, type PostedMessage, type PostFault, type ResponseCall, type Upload } from './state.js';
import { METHODS } from './web-api.js';

export * from './state.js';
export { FakeSocketMode } from './socket.js';

export class FakeSlack {
  readonly server: Server;
  readonly socket = new FakeSocketMode();
  readonly channels = new Map<string, FakeChannel>();
  readonly users = new Map<string, FakeUser>();
  /** The bot token's scopes: sent as x-oauth-scopes and enforced per method, as Slack does. */
  readonly scopes: Set<string>;
  readonly posts: PostedMessage[] = [];
  readonly calls: ApiCall[] = [];
  readonly responses = new Map<string, ResponseCall[]>();
  readonly uploads: Upload[] = [];
  readonly joins: string[] = [];
  private readonly pendingUploads = new Map<string, { filename: string; content?: string }>();
  private readonly faults = new Map<string, PostFault>();
  /** Web API method → ms to wait before answering (a slow auth.test keeps Herald starting). */
  readonly methodDelays = new Map<string, number>();
  private seq = 1;
  port = 0;

  constructor(opts: { channels?: FakeChannel[]; users?: FakeUser[]; scopes?: string[] } = {}) {
    this.scopes = new Set(opts.scopes ?? DEFAULT_SCOPES);
    for (const c of opts.channels ?? DEFAULT_CHANNELS) this.channels.set(c.id, { ...c });
    for (const u of opts.users ?? DEFAULT_USERS) this.users.set(u.id, { ...u });
    this.server = createServer((req, res) => void this.route(req, res).catch((err) => sendJson(res, 500, { ok: false, error: String(err) })));
    this.server.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').startsWith('/link')) this.socket.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** SLACK_API_URL for Herald. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A fresh response_url; what Herald posts there is kept under its id. */
  responseUrl(): { id: string; url: string } {
    const id = `R${this.seq++}`;
    this.responses.set(id, []);
    return { id, url: `${this.url}/response/${id}` };
  }

  waitForResponse(id: string, count = 1, timeoutMs = 15_000): Promise<ResponseCall> {
    return waitFor(() => {
      const list = this.responses.get(id) ?? [];
      return list.length >= count ? list[count - 1] : undefined;
    }, timeoutMs, `response ${count} on response_url ${id}`);
  }

  fault(channel: string, fault: PostFault | undefined) {
    if (fault) this.faults.set(channel, fault);
    else this.faults.delete(channel);
  }

  takeFault(channel: string): PostFault | undefined {
    const f = this.faults.get(channel);
    if (!f || f.times === 0) return undefined;
    if (f.times !== undefined) f.times--;
    return f;
  }

  record(channel: string, text: string, blocks: Record<string, unknown>[] | undefined, body: Record<string, unknown>): string {
    const at = Date.now();
    this.posts.push({ channel, text, body, at, ...(blocks ? { blocks } : {}) });
    return `${Math.floor(at / 1000)}.${String(this.seq++).padStart(6, '0')}`;
  }

  postsIn(channel: string): PostedMessage[] {
    return this.posts.filter((p) => p.channel === channel);
  }

  waitForPosts(channel: string, count: number, timeoutMs = 15_000): Promise<PostedMessage[]> {
    return waitFor(() => (this.postsIn(channel).length >= count ? this.postsIn(channel) : undefined), timeoutMs, `${count} post(s) in ${channel}`);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  startUpload(filename: string): string {
    const id = `F${this.seq++}`;
    this.pendingUploads.set(id, { filename });
    return id;
  }

  completeUpload(fileId: string, channel: string | undefined): boolean {
    const p = this.pendingUploads.get(fileId);
    if (!p || p.content === undefined) return false;
    this.uploads.push({ fileId, filename: p.filename, content: p.content, ...(channel ? { channel } : {}) });
    return true;
  }

  private async route(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '').split('?')[0]!;
    const raw = await readBody(req);
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/([\w.]+)$/.exec(path))) {
      const body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
      const authorization = req.headers.authorization;
      this.calls.push({ method: m[1]!, body, authorization, at: Date.now() });
      const delay = this.methodDelays.get(m[1]!);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const method = METHODS[m[1]!];
      if (!method) return sendJson(res, 200, { ok: false, error: 'unknown_method' });
      const answer = method(this, body, authorization);
      return sendJson(res, answer.status ?? 200, answer.body, { 'x-oauth-scopes': [...this.scopes].join(','), ...answer.headers });
    }
    if ((m = /^\/response\/(\w+)$/.exec(path))) {
      const body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
      const list = this.responses.get(m[1]!) ?? [];
      list.push({ body, at: Date.now(), ...(typeof body.text === 'string' ? { text: body.text } : {}), ...(typeof body.response_type === 'string' ? { response_type: body.response_type } : {}) });
      this.responses.set(m[1]!, list);
      return sendJson(res, 200, { ok: true });
    }
    if ((m = /^\/upload\/(\w+)$/.exec(path))) {
      const pending = this.pendingUploads.get(m[1]!);
      if (!pending) return sendJson(res, 404, { ok: false });
      // The WebClient sends the file as a multipart part named "body".
      const type = req.headers['content-type'] ?? '';
      const part = type.startsWith('multipart/') ? parseMultipart(raw, type).find((p) => p.name === 'body') : undefined;
      pending.content = (part?.data ?? raw).toString('utf8');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
      return;
    }
    return sendJson(res, 404, { ok: false, error: `fake Slack has no route ${path}` });
  }
}
