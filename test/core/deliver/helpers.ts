// In-memory store, capturing logger and a scriptable sender for queue unit tests.
import Keyv from 'keyv';
import { DeliveryQueue, type DeliveryQueueOptions } from '../../../src/core/deliver/queue.js';
import type { ChannelRef, MessageSender, OutgoingMessage, Platform, SendResult } from '../../../src/domain/types.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { openRepositories, type Store } from '../../../src/store/index.js';
import type { Delivery, SubscriptionRecord } from '../../../src/domain/records.js';

export async function memoryStore(keyv = new Keyv()): Promise<Store> {
  const repos = await openRepositories(keyv);
  return { kind: 'sqlite', keyv, ...repos, close: () => repos.feeds.close() };
}

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export function captureLogger() {
  const lines: LogLine[] = [];
  const logger = createLogger('debug', [], { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines };
}

export interface SentRecord {
  channelId: string;
  text: string;
  at: number;
}

type Script = (n: number) => SendResult | Promise<SendResult>;

/** A MessageSender whose answers, delays and pacing hints tests script per channel. */
export class FakeSender implements MessageSender {
  readonly sent: SentRecord[] = [];
  readonly attempts: SentRecord[] = [];
  readonly scripts = new Map<string, Script>();
  readonly delays = new Map<string, number>();
  readonly ready = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(readonly platform: Platform = 'discord') {}

  readyAt(t: ChannelRef): number {
    return this.ready.get(t.channelId) ?? 0;
  }

  async send(target: ChannelRef, message: OutgoingMessage): Promise<SendResult> {
    const text = message.kind === 'notice' ? message.text : message.title;
    const rec = { channelId: target.channelId, text, at: Date.now() };
    this.attempts.push(rec);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const delay = this.delays.get(target.channelId) ?? 0;
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const n = this.attempts.filter((a) => a.channelId === target.channelId).length;
      const result = (await this.scripts.get(target.channelId)?.(n)) ?? { ok: true };
      if (result.ok) this.sent.push(rec);
      return result;
    } finally {
      this.inFlight--;
    }
  }

  textsIn(channelId: string): string[] {
    return this.sent.filter((s) => s.channelId === channelId).map((s) => s.text);
  }
}

let subSeq = 0;
export async function addSub(store: Store, channelId: string, platform: Platform = 'discord', extra: Partial<SubscriptionRecord> = {}): Promise<SubscriptionRecord> {
  return store.subscriptions.add({
    platform,
    workspaceId: 'w1',
    channelId,
    feedId: 'feed1',
    feedUrl: 'https://example.com/feed.xml',
    createdBy: 'u1',
    createdAt: ++subSeq,
    paused: false,
    state: 'active',
    ...extra,
  });
}

export function notice(sub: SubscriptionRecord, text: string, seenAt = Date.now()): Delivery {
  return { id: `${sub.id}:${text}`, subscriptionId: sub.id, feedId: sub.feedId, seenAt, attempts: 0, message: { kind: 'notice', text } };
}

export function item(sub: SubscriptionRecord, title: string, seenAt = Date.now()): Delivery {
  return {
    id: `${sub.id}:${title}`,
    subscriptionId: sub.id,
    feedId: sub.feedId,
    itemId: title,
    seenAt,
    attempts: 0,
    message: { kind: 'item', title, summary: '', categories: [], feedTitle: 'F', feedUrl: 'https://example.com/feed.xml', color: 0 },
  };
}

export function makeQueue(store: Store, senders: MessageSender[], extra: Partial<DeliveryQueueOptions> = {}) {
  const { logger, lines } = captureLogger();
  const metrics = createMetrics(false);
  const queue = new DeliveryQueue({
    store,
    senders: new Map(senders.map((s) => [s.platform, s])),
    logger,
    metrics,
    maxAgeMs: 86_400_000,
    backoff: { baseMs: 50, maxMs: 400 },
    // Discord's production pacing (45/s) would only slow these tests down; one test sets it.
    rates: { discord: 10_000 },
    ...extra,
  });
  return { queue, lines, metrics };
}

export async function metricValue(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>): Promise<number> {
  const m = (await metrics.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return Number(v?.value ?? 0);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
