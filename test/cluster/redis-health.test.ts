// A process that loses Redis says so and pauses its workers; when Redis is back it resumes.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { RedisHealth } from '../../src/cluster/redis-health.js';
import { describeRedis, redisPort } from './redis-db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP proxy to the real Redis that the test can cut, to play a network loss. */
function proxy() {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(redisPort(), '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  return { open, cut, port: () => port };
}

describeRedis('Redis health of a cluster process', () => {
  const p = proxy();
  let conn: Redis | undefined;
  afterAll(async () => {
    conn?.disconnect();
    await p.cut().catch(() => undefined);
  });

  it('is not ready without Redis, pauses its workers, and resumes when Redis is back', async () => {
    await p.open();
    conn = new Redis({ host: '127.0.0.1', port: p.port(), db: 10, maxRetriesPerRequest: null, retryStrategy: () => 100 });
    const calls: string[] = [];
    const health = new RedisHealth(conn, [{ pause: () => void calls.push('pause'), resume: () => void calls.push('resume') }]);
    await conn.ping();
    expect(health.check()).toEqual({ ready: true });
    await p.cut();
    await sleep(300);
    expect(health.check().ready).toBe(false);
    expect(health.check().reason).toMatch(/Redis/);
    expect(calls).toEqual(['pause']);
    await p.open(); // same port
    const t0 = Date.now();
    while (!health.check().ready && Date.now() - t0 < 5000) await sleep(50);
    expect(health.check()).toEqual({ ready: true });
    expect(calls).toEqual(['pause', 'resume']);
  });
});
