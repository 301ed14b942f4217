// The HTTP server before authentication: slow senders are cut off, connections are capped,
// and reserved routes hold early requests briefly instead of answering 404.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, DEFAULT_LIMITS, type HttpServer, type ServerLimits } from '../../src/http/server.js';
import { createMetrics } from '../../src/metrics.js';

/** Resolves when the server closes the socket, with ms since it was opened. */
function closedAfter(socket: Socket): Promise<number> {
  const began = Date.now();
  socket.resume(); // a paused socket never sees the server's end, so never closes
  return new Promise((resolve) => socket.on("close", () => resolve(Date.now() - began)));
}
const open = (port: number) =>
  new Promise<Socket>((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });

describe('HTTP server limits', () => {
  let http: HttpServer | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await http?.close();
    http = undefined;
  });
  const start = async (limits: Partial<ServerLimits>) => {
    http = createHttpServer({ registry: createMetrics(false).registry, readiness: { check: () => ({}) }, limits });
    return http.listen(0, '127.0.0.1');
  };

  it('defaults to timeouts of a few seconds and a connection cap, not Node\'s 300 s and no cap', () => {
    expect(DEFAULT_LIMITS.requestTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(DEFAULT_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(DEFAULT_LIMITS.maxConnections).toBeGreaterThan(0);
    const server = createHttpServer({ registry: createMetrics(false).registry, readiness: { check: () => ({}) } }).server;
    expect(server.requestTimeout).toBe(DEFAULT_LIMITS.requestTimeoutMs);
    expect(server.headersTimeout).toBe(DEFAULT_LIMITS.headersTimeoutMs);
    expect(server.maxConnections).toBe(DEFAULT_LIMITS.maxConnections);
  });

  it('closes a connection whose headers never finish, and one whose body never finishes', async () => {
    const port = await start({ headersTimeoutMs: 600, requestTimeoutMs: 600 });
    const slowHeaders = await open(port);
    sockets.push(slowHeaders);
    const headersClosed = closedAfter(slowHeaders);
    slowHeaders.write('POST /slack/events HTTP/1.1\r\nHost: x\r\n');
    const slowBody = await open(port);
    sockets.push(slowBody);
    http!.mount('POST', '/slow', async (req, res) => {
      for await (const _ of req);
      res.end('done');
    });
    const bodyClosed = closedAfter(slowBody);
    slowBody.write('POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc');
    const [a, b] = await Promise.all([headersClosed, bodyClosed]);
    // Real time is the point: without the limits Node keeps these open for 300 s. Generous for
    // a busy machine; anything well under the 30 s test timeout shows the 600 ms limits acted.
    expect(a).toBeLessThan(10_000);
    expect(b).toBeLessThan(10_000);
  });

  it('refuses connections beyond the cap and serves again once they close', async () => {
    const port = await start({ maxConnections: 2 });
    sockets.push(await open(port), await open(port));
    await new Promise((r) => setTimeout(r, 50));
    const third = connect(port, '127.0.0.1');
    sockets.push(third);
    third.on('error', () => undefined);
    // Without the cap the third connection would stay open; generous for a busy machine.
    expect(await closedAfter(third)).toBeLessThan(10_000);
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('holds a request for a reserved route until it is mounted, or answers 503 after the hold', async () => {
    const port = await start({ holdMs: 800 });
    http!.reserve('POST', '/early');
    http!.reserve('POST', '/never');
    expect((await fetch(`http://127.0.0.1:${port}/other`, { method: 'POST' })).status).toBe(404);
    const early = fetch(`http://127.0.0.1:${port}/early`, { method: 'POST', body: 'hi' });
    setTimeout(() => http!.mount('POST', '/early', (_q, res) => void res.end('mounted')), 200);
    const res = await early;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('mounted');
    const began = Date.now();
    const never = await fetch(`http://127.0.0.1:${port}/never`, { method: 'POST' });
    expect(never.status).toBe(503);
    expect(never.headers.get('retry-after')).toBe('1');
    expect(Date.now() - began).toBeGreaterThanOrEqual(700);
  });
});
