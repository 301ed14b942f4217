// Socket Mode half of the fake Slack: the WebSocket that apps.connections.open points at.
// hello on connect, slash_commands envelopes out, the app's acks ({envelope_id, payload}) in.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { APP_ID } from './state.js';

export interface EnvelopeAck {
  envelopeId: string;
  payload?: unknown;
  at: number;
}

export class FakeSocketMode {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly pinger: NodeJS.Timeout;
  readonly acks = new Map<string, EnvelopeAck>();
  connections = 0;
  private nextEnvelope = 1;

  constructor() {
    this.wss.on('connection', (ws) => this.onConnection(ws));
    // Slack pings every few seconds; the client reconnects when pings stop for 30 s.
    this.pinger = setInterval(() => this.sockets.forEach((ws) => ws.ping()), 5000);
    this.pinger.unref();
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  get connected(): number {
    return this.sockets.size;
  }

  private onConnection(ws: WebSocket) {
    this.sockets.add(ws);
    this.connections++;
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (msg.envelope_id) this.acks.set(msg.envelope_id, { envelopeId: msg.envelope_id, payload: msg.payload, at: Date.now() });
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack', approximate_connection_time: 3600 }, connection_info: { app_id: APP_ID } }));
  }

  /** Sends a slash command envelope to every connected app; returns its envelope id. */
  slashCommand(payload: Record<string, unknown>): string {
    if (!this.sockets.size) throw new Error('no Socket Mode connection');
    const envelopeId = `env-${this.nextEnvelope++}`;
    const frame = { envelope_id: envelopeId, type: 'slash_commands', accepts_response_payload: true, payload };
    for (const ws of this.sockets) ws.send(JSON.stringify(frame));
    return envelopeId;
  }

  close() {
    clearInterval(this.pinger);
    for (const ws of this.sockets) {
      ws.close(1000);
      ws.terminate();
    }
    this.wss.close();
  }
}
