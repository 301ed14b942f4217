// The receiver on Herald's HTTP server, with a stand-in for bolt's App.processEvent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App, ReceiverEvent } from '@slack/bolt';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { BODY_LIMIT, HttpMountReceiver } from '../../../src/platforms/slack/http-receiver.js';
import { signSlackRequest } from '../../../src/platforms/slack/signature.js';

const SECRET = 'receiver-secret';

describe('HttpMountReceiver', () => {
  let http: HttpServer;
  let port: number;
  let events: ReceiverEvent[];
  let receiver: HttpMountReceiver;
  let onEvent: (e: ReceiverEvent) => Promise<void>;

  beforeEach(async () => {
    http = createHttpServer({ registry: createMetrics(false).registry, readiness: { check: () => ({}) } });
    port = await http.listen(0, '127.0.0.1');
    events = [];
    onEvent = (e) => e.ack();
    receiver = new HttpMountReceiver({ signingSecret: SECRET, http, path: '/slack/events', logger: createLogger('silent') });
    receiver.init({ processEvent: async (e: ReceiverEvent) => (events.push(e), onEvent(e)) } as unknown as App);
  });
  afterEach(async () => http.close());

  const post = (body: string, opts: { type?: string; secret?: string; headers?: Record<string, string> } = {}) => {
    const ts = String(Math.floor(Date.now() / 1000));
    return fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': opts.type ?? 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(opts.secret ?? SECRET, ts, body), ...opts.headers },
      body,
    });
  };

  it('mounts on start, hands verified form bodies to processEvent, answers 503 once stopped', async () => {
    expect((await post('command=%2Ffeeds')).status).toBe(404); // not mounted before start
    await receiver.start();
    const res = await post('command=%2Ffeeds&text=list', { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(events[0]).toMatchObject({ body: { command: '/feeds', text: 'list' }, retryNum: 1, retryReason: 'http_timeout' });
    await receiver.stop();
    expect((await post('command=%2Ffeeds')).status).toBe(503);
  });

  it('rejects a bad signature with 401 before parsing or processing', async () => {
    await receiver.start();
    const res = await post('command=%2Fsubscribe', { secret: 'nope' });
    expect(res.status).toBe(401);
    expect(events).toHaveLength(0);
  });

  it('answers Slack’s probes, JSON bodies, interactivity payloads and ack bodies', async () => {
    await receiver.start();
    expect((await post('ssl_check=1&token=x')).status).toBe(200);
    const challenge = await post(JSON.stringify({ type: 'url_verification', challenge: 'abc' }), { type: 'application/json' });
    expect(await challenge.json()).toEqual({ challenge: 'abc' });
    onEvent = (e) => e.ack({ text: 'hi' });
    const acked = await post(`payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', x: 1 }))}`);
    expect(await acked.json()).toEqual({ text: 'hi' });
    expect(events.map((e) => e.body.type)).toEqual(['block_actions']);
  });

  it('still answers when a listener never acks, and 500 when processing throws first', async () => {
    await receiver.start();
    onEvent = async () => undefined;
    expect((await post('command=%2Fx')).status).toBe(200);
    onEvent = async () => {
      throw new Error('boom');
    };
    expect((await post('command=%2Fx&n=2')).status).toBe(500); // another body: the same one would be a replay
  });
});

describe('HttpMountReceiver before the signature is checked', () => {
  let http: HttpServer;
  let port: number;
  let events: ReceiverEvent[];
  beforeEach(async () => {
    http = createHttpServer({ registry: createMetrics(false).registry, readiness: { check: () => ({}) } });
    port = await http.listen(0, '127.0.0.1');
    events = [];
    const receiver = new HttpMountReceiver({ signingSecret: SECRET, http, path: '/slack/events', logger: createLogger('silent') });
    receiver.init({ processEvent: async (e: ReceiverEvent) => (events.push(e), e.ack()) } as unknown as App);
    await receiver.start();
  });
  afterEach(async () => http.close());

  const signed = (body: string, ts = String(Math.floor(Date.now() / 1000))) => ({
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': ts,
    'x-slack-signature': signSlackRequest(SECRET, ts, body),
  });

  it('reads at most 64 KB: a larger body is refused with 413, declared or streamed', async () => {
    const big = `command=%2Ffeeds&text=${'a'.repeat(BODY_LIMIT)}`;
    const declared = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: signed(big), body: big });
    expect(declared.status).toBe(413);
    const streamed = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: signed(big),
      body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(big)), c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(events).toHaveLength(0);
    const small = 'command=%2Ffeeds&text=list';
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: signed(small), body: small })).status).toBe(200);
  });

  it('refuses a replayed request: the same signature twice within the window', async () => {
    const body = 'command=%2Ffeeds&text=list&response_url=x';
    const headers = signed(body);
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers, body })).status).toBe(200);
    const again = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers, body });
    expect(again.status).toBe(401);
    expect(await again.text()).toBe('replayed request');
    expect(events).toHaveLength(1);
  });
});
