// The receiver on Herald's HTTP server, with a stand-in for bolt's App.processEvent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App, ReceiverEvent } from '@slack/bolt';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { HttpMountReceiver } from '../../../src/platforms/slack/http-receiver.js';
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
