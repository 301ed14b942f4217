// The one HTTP server on PORT: /healthz, /readyz, /metrics, and mounted handlers
// (Slack's /slack/events). Adapters mount routes; nothing opens a second port.
// Everything here runs before any authentication, so the server itself is strict: short
// timeouts, a connection cap, and reserved routes that hold early requests briefly.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { createRouteTable, type RouteHandler } from './routes.js';

export type { RouteHandler } from './routes.js';

export interface Readiness {
  /** Name → ready? with a reason when not. */
  check(): Record<string, { ready: boolean; reason?: string }>;
}

export interface ServerLimits {
  /** Whole request (headers and body) must arrive within this; Node's default is 300 s. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** Open connections at once; more are closed on arrival. */
  maxConnections: number;
  /** How long a request to a reserved, not yet mounted route waits before a 503. */
  holdMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = { requestTimeoutMs: 5000, headersTimeoutMs: 5000, maxConnections: 256, holdMs: 2000 };

export interface HttpServer {
  server: Server;
  mount(method: string, path: string, handler: RouteHandler): void;
  /**
   * Announces a route whose handler is mounted later (a platform still connecting): until
   * then its requests wait up to `holdMs`, then get 503 + Retry-After instead of a 404.
   */
  reserve(method: string, path: string): void;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export function createHttpServer(opts: { registry: Registry; readiness: Readiness; limits?: Partial<ServerLimits> }): HttpServer {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const routes = createRouteTable(limits.holdMs);
  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  routes.mount('GET', '/healthz', (_req, res) => send(res, 200, { status: 'ok' }));
  routes.mount('GET', '/readyz', (_req, res) => {
    const checks = opts.readiness.check();
    const ready = Object.values(checks).every((c) => c.ready);
    send(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
  });
  routes.mount('GET', '/metrics', async (_req, res) => send(res, 200, await opts.registry.metrics(), opts.registry.contentType));

  // connectionsCheckingInterval: Node enforces the two timeouts only this often (default 30 s).
  const checkEvery = Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2)));
  const server = createServer({ requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: checkEvery }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    void routes.lookup(req.method ?? 'GET', path).then((found) => {
      if (found === 'missing') return send(res, 404, { error: 'not found' });
      if (found === 'not-ready') {
        res.setHeader('retry-after', '1');
        return send(res, 503, { error: 'starting up' });
      }
      return Promise.resolve(found(req, res)).catch(() => {
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
        else res.end();
      });
    });
  });
  server.maxConnections = limits.maxConnections;
  // Slack retries after 3 s; keep-alive sockets must not hold shutdown open.
  server.keepAliveTimeout = 5000;

  return {
    server,
    mount: (method, path, handler) => routes.mount(method, path, handler),
    reserve: (method, path) => routes.reserve(method, path),
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        routes.close();
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
