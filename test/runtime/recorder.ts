// A platform stand-in for the contract scenarios: it paces itself through the runtime's Pacer
// exactly as the real senders do (Discord: bucket holds from headers and the bot's 45/s,
// taken by each request, platforms/discord/bot-rate.ts; Slack: the per-channel rule), and counts every send that arrives while the platform would have answered 429.
import type { Pacer } from '../../src/core/limits/pacer.js';
import type { ChannelRef, MessageSender, Platform, SendableMessage, SendResult } from '../../src/domain/types.js';
import { BOT_RATE, PARK_AFTER_MS } from '../../src/platforms/discord/bot-rate.js';
import { SLACK_CHANNEL_PACE, slackChannelKey } from '../../src/platforms/slack/pacing.js';

const BOT = 'rate:discord:recorder-bot';

export interface Sent {
  channelId: string;
  kind: string;
  text: string;
  lines?: number;
  at: number;
}

export interface RecorderOptions {
  /** Discord: a channel's bucket holds this many sends, then is empty for `bucketMs`. */
  bucket?: { size: number; ms: number };
  /** The answer to the n-th attempt (1-based) for a channel; ok when absent. */
  script?: (channelId: string, attempt: number) => SendResult | undefined;
}

export class Recorder implements MessageSender {
  readonly sent: Sent[] = [];
  readonly attempts: Sent[] = [];
  /** Sends that reached the platform while its limit said no: would have been 429s. */
  tooEarly = 0;
  private readonly used = new Map<string, number>();

  constructor(
    readonly platform: Platform,
    private readonly pacer: Pacer,
    private readonly o: RecorderOptions = {},
  ) {}

  private key(channelId: string) {
    return this.platform === 'slack' ? slackChannelKey(channelId) : `discord:channel:${channelId}`;
  }

  async readyAt(t: ChannelRef): Promise<number> {
    if (this.platform === 'slack') return this.pacer.readyAt(this.key(t.channelId), SLACK_CHANNEL_PACE);
    const bot = await this.pacer.readyAt(BOT, BOT_RATE);
    return Math.max(await this.pacer.readyAt(this.key(t.channelId)), bot > Date.now() + PARK_AFTER_MS ? bot : 0);
  }

  async send(t: ChannelRef, m: SendableMessage): Promise<SendResult> {
    if (this.platform === 'discord') {
      // The request's start under the bot's rate, as the real sender's REST takes it.
      const wait = await this.pacer.reserve(BOT, BOT_RATE);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const now = Date.now();
    const key = this.key(t.channelId);
    if (this.platform === 'slack') {
      if ((await this.pacer.take(key, SLACK_CHANNEL_PACE)) > 0) this.tooEarly++;
    } else if ((await this.pacer.readyAt(key)) > now) this.tooEarly++;
    const rec: Sent = { channelId: t.channelId, kind: m.kind, text: m.kind === 'notice' ? m.text : m.kind === 'item' ? m.title : 'digest', at: now };
    if (m.kind === 'digest') rec.lines = m.lines.length;
    this.attempts.push(rec);
    const n = this.attempts.filter((a) => a.channelId === t.channelId).length;
    const result = this.o.script?.(t.channelId, n) ?? { ok: true };
    if (!result.ok) return result;
    this.sent.push(rec);
    const b = this.o.bucket;
    if (b) {
      const used = (this.used.get(t.channelId) ?? 0) + 1;
      this.used.set(t.channelId, used % b.size);
      // The bucket is empty: what the real sender reads from x-ratelimit-remaining 0.
      if (used === b.size) await this.pacer.hold(key, Date.now() + b.ms);
    }
    return result;
  }

  textsIn(channelId: string): string[] {
    return this.sent.filter((s) => s.channelId === channelId).map((s) => s.text);
  }
}
