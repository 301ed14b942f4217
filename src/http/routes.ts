// The server's route table: "METHOD /path" → handler, plus reserved routes whose handler
// arrives later. A request for a reserved route waits (bounded) instead of seeing a 404,
// so Slack's first slash command after /healthz answers is not a dispatch_failed.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export type Lookup = RouteHandler | 'missing' | 'not-ready';

export interface RouteTable {
  mount(method: string, path: string, handler: RouteHandler): void;
  reserve(method: string, path: string): void;
  lookup(method: string, path: string): Promise<Lookup>;
  /** Lets held requests go (as not-ready) so shutdown is not kept waiting. */
  close(): void;
}

export function createRouteTable(holdMs: number): RouteTable {
  const handlers = new Map<string, RouteHandler>();
  /** Reserved keys → the requests waiting for the handler. */
  const waiting = new Map<string, Set<(h: RouteHandler | undefined) => void>>();
  const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

  return {
    mount(method, path, handler) {
      const k = key(method, path);
      handlers.set(k, handler);
      for (const wake of waiting.get(k) ?? []) wake(handler);
      waiting.delete(k);
    },
    reserve(method, path) {
      const k = key(method, path);
      if (!handlers.has(k) && !waiting.has(k)) waiting.set(k, new Set());
    },
    lookup(method, path) {
      const k = key(method, path);
      const h = handlers.get(k);
      if (h) return Promise.resolve(h);
      const queue = waiting.get(k);
      if (!queue) return Promise.resolve('missing');
      return new Promise<Lookup>((resolve) => {
        const wake = (handler: RouteHandler | undefined) => {
          clearTimeout(timer);
          queue.delete(wake);
          resolve(handler ?? 'not-ready');
        };
        const timer = setTimeout(() => wake(undefined), holdMs);
        queue.add(wake);
      });
    },
    close() {
      for (const queue of waiting.values()) for (const wake of [...queue]) wake(undefined);
    },
  };
}
