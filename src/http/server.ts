// The one HTTP server on PORT: /healthz, /readyz, /metrics, and mounted handlers
// (Slack's /slack/events). Adapters mount routes; nothing opens a second port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Readiness {
  /** Name → ready? with a reason when not. */
  check(): Record<string, { ready: boolean; reason?: string }>;
}

export interface HttpServer {
  server: Server;
  mount(method: string, path: string, handler: RouteHandler): void;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export function createHttpServer(opts: { registry: Registry; readiness: Readiness }): HttpServer {
  const routes = new Map<string, RouteHandler>();
  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  routes.set('GET /healthz', (_req, res) => send(res, 200, { status: 'ok' }));
  routes.set('GET /readyz', (_req, res) => {
    const checks = opts.readiness.check();
    const ready = Object.values(checks).every((c) => c.ready);
    send(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
  });
  routes.set('GET /metrics', async (_req, res) => send(res, 200, await opts.registry.metrics(), opts.registry.contentType));

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = routes.get(`${req.method} ${path}`);
    if (!handler) return send(res, 404, { error: 'not found' });
    Promise.resolve(handler(req, res)).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  // Slack retries after 3 s; keep-alive sockets must not hold shutdown open.
  server.keepAliveTimeout = 5000;

  return {
    server,
    mount: (method, path, handler) => routes.set(`${method.toUpperCase()} ${path}`, handler),
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
