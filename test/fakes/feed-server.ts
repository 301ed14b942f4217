// A local feed server for tests: scripted RSS documents, raw bodies and request counts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './http-util.js';

export interface TestItem {
  title: string;
  link?: string;
  guid?: string;
  description?: string;
  pubDate?: Date;
  categories?: string[];
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** RSS 2.0 with items listed newest first, as publishers do. */
export function rss(title: string, items: TestItem[], link = 'https://example.com/'): string {
  const body = items
    .map((i) => {
      const parts = [`<title>${esc(i.title)}</title>`];
      if (i.link) parts.push(`<link>${esc(i.link)}</link>`);
      if (i.guid) parts.push(`<guid isPermaLink="false">${esc(i.guid)}</guid>`);
      if (i.description) parts.push(`<description>${esc(i.description)}</description>`);
      if (i.pubDate) parts.push(`<pubDate>${i.pubDate.toUTCString()}</pubDate>`);
      for (const c of i.categories ?? []) parts.push(`<category>${esc(c)}</category>`);
      return `<item>${parts.join('')}</item>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>${esc(link)}</link><description>test</description>\n${body}\n</channel></rss>`;
}

export class FeedServer {
  readonly server: Server;
  readonly hits = new Map<string, number>();
  private readonly routes = new Map<string, Handler>();
  port = 0;

  constructor(private readonly host = '127.0.0.1') {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const h = this.routes.get(path);
      if (!h) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      h(req, res);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, this.host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://${this.host}:${this.port}${path}`;
  }

  route(path: string, handler: Handler): string {
    this.routes.set(path, handler);
    return this.url(path);
  }

  /** Serves a fixed body with a content type. */
  serve(path: string, body: string | Buffer, contentType = 'application/rss+xml; charset=utf-8'): string {
    return this.route(path, (_req, res) => res.writeHead(200, { 'content-type': contentType }).end(body));
  }

  /** Serves an RSS feed whose items the test can change; returns the URL and a setter. */
  feed(path: string, title: string, items: TestItem[]) {
    let current = items;
    const url = this.route(path, (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(rss(title, current)));
    return { url, set: (next: TestItem[]) => (current = next), get items() { return current; } };
  }

  hitsFor(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  /**
   * Resolves once `path` has been requested `more` more times than now. "Nothing more was
   * posted" is only shown once the feed was polled again, however busy the machine: a wait
   * for polls, unlike a fixed sleep, cannot pass without any (and ends as soon as they come).
   */
  async polledAgain(path: string, more = 2, timeoutMs = 20_000): Promise<void> {
    const target = this.hitsFor(path) + more;
    await waitFor(() => (this.hitsFor(path) >= target ? true : undefined), timeoutMs, `${more} more requests of ${path}`);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
