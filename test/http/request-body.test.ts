// The shared reader both signed receivers (Slack, Discord) use before verifying a request.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BodyTooLarge, header, readBody } from '../../src/http/request-body.js';

const LIMIT = 1000;

describe('readBody and header', () => {
  let server: Server;
  let url: string;
  /** What the handler saw: the bytes read, or the error. */
  let seen: { body?: Buffer; error?: unknown }[];

  beforeEach(async () => {
    seen = [];
    server = createServer((req, res) => {
      readBody(req, LIMIT).then(
        (body) => (seen.push({ body }), res.end(`ok ${header(req, 'x-one') ?? '-'}`)),
        (error: unknown) => (seen.push({ error }), res.writeHead(413, { connection: 'close' }).end()),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterEach(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

  it('returns the whole body up to the limit', async () => {
    const body = 'x'.repeat(LIMIT);
    const res = await fetch(url, { method: 'POST', body, headers: { 'x-one': 'a' } });
    expect(await res.text()).toBe('ok a');
    expect(seen[0]!.body!.toString()).toBe(body);
  });

  it('refuses a declared length over the limit and a streamed body once it passes the limit', async () => {
    const big = 'x'.repeat(LIMIT + 1);
    expect((await fetch(url, { method: 'POST', body: big })).status).toBe(413);
    const streamed = await fetch(url, {
      method: 'POST',
      body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(big)), c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(seen.map((s) => s.error)).toEqual([expect.any(BodyTooLarge), expect.any(BodyTooLarge)]);
  });

  it('header() takes the first value when Node gives an array', () => {
    const req = { headers: { 'set-cookie': ['a=1', 'b=2'], 'x-one': 'v' } } as unknown as IncomingMessage;
    expect(header(req, 'set-cookie')).toBe('a=1');
    expect(header(req, 'x-one')).toBe('v');
    expect(header(req, 'x-none')).toBeUndefined();
  });
});
