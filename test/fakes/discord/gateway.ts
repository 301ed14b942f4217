// The gateway half of the fake Discord: HELLO → IDENTIFY → READY + GUILD_CREATE, heartbeats, dispatches.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { channelJson, isThreadType, type FakeChannelSpec, type FakeChannelState } from './places.js';

export interface FakeGuild {
  id: string;
  /** A bare id is a text channel. */
  channels: (string | FakeChannelSpec)[];
}

export const APP_ID = '100000000000000001';
export const BOT_USER = { id: APP_ID, username: 'Herald', discriminator: '0', bot: true, avatar: null, global_name: null };

export class FakeGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;
  identifies = 0;

  constructor(
    private readonly guilds: FakeGuild[],
    private readonly baseUrl: () => string,
    private readonly channelsOf: (guildId: string) => FakeChannelState[],
  ) {
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  get connected(): number {
    return this.sockets.size;
  }

  private send(ws: WebSocket, payload: object) {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  }

  dispatch(t: string, d: unknown) {
    for (const ws of this.sockets) this.send(ws, { op: 0, t, s: ++this.seq, d });
  }

  private guildCreate(g: FakeGuild) {
    return {
      id: g.id,
      name: `Guild ${g.id}`,
      icon: null,
      owner_id: '1',
      unavailable: false,
      member_count: 1,
      roles: [],
      emojis: [],
      stickers: [],
      features: [],
      members: [],
      voice_states: [],
      presences: [],
      threads: this.channelsOf(g.id).filter((c) => isThreadType(c.type)).map(channelJson),
      stage_instances: [],
      guild_scheduled_events: [],
      // Each channel with its type, as Discord lists them; threads come in their own list.
      channels: this.channelsOf(g.id).filter((c) => !isThreadType(c.type)).map((c, position) => ({ ...channelJson(c), position })),
    };
  }

  private onConnection(ws: WebSocket) {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    this.send(ws, { op: 10, d: { heartbeat_interval: 41250 } });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number };
      if (msg.op === 1) this.send(ws, { op: 11 });
      if (msg.op === 2) {
        this.identifies++;
        this.send(ws, {
          op: 0,
          t: 'READY',
          s: ++this.seq,
          d: {
            v: 10,
            user: BOT_USER,
            guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
            session_id: `session-${this.identifies}`,
            resume_gateway_url: `${this.baseUrl().replace(/^http/, 'ws')}/gateway`,
            shard: [0, 1],
            application: { id: APP_ID, flags: 0 },
          },
        });
        for (const g of this.guilds) this.send(ws, { op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: this.guildCreate(g) });
      }
    });
  }

  close() {
    for (const ws of this.sockets) ws.close(1000);
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }
}
