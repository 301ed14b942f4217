// A tiny HTTP server on a loopback address that counts TCP connections and requests, so
// tests can assert that a refused address was never even connected to.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expect } from 'vitest';
import { FetchError } from '../../../src/core/fetch/index.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export class LoopbackServer {
  readonly server: Server;
  connections = 0;
  requests: IncomingMessage[] = [];
  private readonly routes = new Map<string, Handler>();
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(readonly host = '127.0.0.1') {
    this.server = createServer((req, res) => {
      this.requests.push(req);
      const path = (req.url ?? '/').split('?')[0]!;
      const h = this.routes.get(path) ?? this.routes.get('*');
      if (!h) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      h(req, res);
    });
    this.server.on('connection', (s: Socket) => {
      this.connections++;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, this.host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get origin(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  route(path: string, handler: Handler): string {
    this.routes.set(path, handler);
    return this.url(path);
  }

  serve(path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/rss+xml; charset=utf-8' }): string {
    return this.route(path, (_req, res) => res.writeHead(200, headers).end(body));
  }

  hits(path: string): number {
    return this.requests.filter((r) => (r.url ?? '').split('?')[0] === path).length;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const RSS = (title: string, items: { title: string; link: string; date?: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${title}</title><link>https://example.com/</link>` +
  items.map((i) => `<item><title>${i.title}</title><link>${i.link}</link>${i.date ? `<pubDate>${i.date}</pubDate>` : ''}</item>`).join('') +
  `</channel></rss>`;

/** Awaits a fetch that must fail and returns its classified FetchError. */
export async function failure(p: Promise<unknown>): Promise<FetchError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}
