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
  /** `shards` in GET /gateway/bot (what DISCORD_SHARDS=auto reads). */
  recommendedShards = 1;
  /** Each socket's IDENTIFY `shard: [id, count]`; a socket without one gets every guild. */
  private readonly shardOf = new Map<WebSocket, [number, number]>();
  /** IDENTIFYs per shard id, to show who connected which shard. */
  readonly shardIdentifies: [number, number][] = [];

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

  /** Discord's rule: a guild's events go to shard (guild_id >> 22) % shard_count. */
  static shardFor(guildId: string, count: number): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(count));
  }

  private receives(ws: WebSocket, guildId: string | undefined): boolean {
    const shard = this.shardOf.get(ws);
    return !shard || guildId === undefined || FakeGateway.shardFor(guildId, shard[1]) === shard[0];
  }

  /** Shard ids with a connected socket. */
  connectedShards(): number[] {
    return [...this.shardOf.values()].map((s) => s[0]).sort((a, b) => a - b);
  }

  /**
   * Every connected session whose shard the guild routes to gets the event. Discord's gateway
   * docs allow "multiple sessions with the same [shard_id, num_shards]" (for zero-downtime
   * hand-offs) and route traffic by shard, not by session; two running copies of one bot both
   * receive each INTERACTION_CREATE, which is why the slower one's reply fails with 40060
   * "Interaction has already been acknowledged". With no session of that shard connected
   * the event is gone: an interaction is not queued for a later IDENTIFY.
   */
  dispatch(t: string, d: unknown) {
    const guildId = (d as { guild_id?: string } | null)?.guild_id;
    for (const ws of this.sockets) if (this.receives(ws, guildId)) this.send(ws, { op: 0, t, s: ++this.seq, d });
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
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.shardOf.delete(ws);
    });
    this.send(ws, { op: 10, d: { heartbeat_interval: 41250 } });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d?: { shard?: [number, number] } };
      if (msg.op === 1) this.send(ws, { op: 11 });
      if (msg.op === 2) {
        this.identifies++;
        const shard = msg.d?.shard;
        if (shard) {
          this.shardOf.set(ws, shard);
          this.shardIdentifies.push(shard);
        }
        const guilds = this.guilds.filter((g) => this.receives(ws, g.id));
        this.send(ws, {
          op: 0,
          t: 'READY',
          s: ++this.seq,
          d: {
            v: 10,
            user: BOT_USER,
            guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
            session_id: `session-${this.identifies}`,
            resume_gateway_url: `${this.baseUrl().replace(/^http/, 'ws')}/gateway`,
            shard: shard ?? [0, 1],
            application: { id: APP_ID, flags: 0 },
          },
        });
        for (const g of guilds) this.send(ws, { op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: this.guildCreate(g) });
      }
    });
  }

  close() {
    for (const ws of this.sockets) ws.close(1000);
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }
}
