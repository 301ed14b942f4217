// The runtime contract: what both runtimes must do alike. contract.test.ts runs every
// scenario against the single process and against the cluster. Waits are bounded polls of
// a condition; assertions are counts, order, and lower bounds of time (never upper ones).
import { expect } from 'vitest';
import { FetchError } from '../../src/core/fetch/index.js';
import { channelKey, type Delivery, type SubscriptionRecord } from '../../src/domain/records.js';
import type { Store } from '../../src/store/index.js';
import { Recorder } from './recorder.js';
import { until, type MakeWorld } from './worlds.js';

export interface Scenario {
  name: string;
  run(make: MakeWorld): Promise<void>;
}

let seq = 0;
async function sub(store: Store, channelId: string, platform: 'discord' | 'slack' = 'discord', extra: Partial<SubscriptionRecord> = {}) {
  return store.subscriptions.add({ platform, workspaceId: 'w1', channelId, feedId: 'feed1', feedUrl: 'https://example.com/feed.xml', createdBy: 'u', createdAt: ++seq, paused: false, state: 'active', ...extra });
}

function item(s: SubscriptionRecord, title: string, seenAt = Date.now()): Delivery {
  return { id: `${s.id}:${title}`, subscriptionId: s.id, feedId: s.feedId, itemId: title, seenAt, attempts: 0, message: { kind: 'item', title, link: `https://example.com/${title}`, summary: '', categories: [], feedTitle: 'F', feedUrl: 'https://example.com/feed.xml', color: 0 } };
}

/** A feed with one reader, due `dueAt`. */
async function feed(store: Store, url: string, dueAt: number) {
  const f = await store.feeds.ensure(url, dueAt);
  await store.feeds.update({ ...f, initialized: true, nextCheckAt: dueAt });
  await sub(store, `reader-${f.id}`, 'discord', { feedId: f.id, feedUrl: url });
  return store.feeds.get(f.id)!;
}

export const scenarios: Scenario[] = [
  {
    name: 'status: a host whose one slot is held by a hanging feed shows its other feed overdue, and the last poll',
    async run(make) {
      const hang = 'https://hang.example/a.xml';
      const w = await make({ perHost: 1, hang: (u) => u === hang });
      try {
        const t0 = Date.now();
        const a = await feed(w.store, hang, t0 + 3_600_000);
        const b = await feed(w.store, 'https://hang.example/b.xml', t0 + 3_600_000);
        await feed(w.store, 'https://fine.example/c.xml', t0 + 3_600_000);
        expect(await w.core.scheduler.status()).toMatchObject({ overdue: 0 });
        // The hanging feed first; once it holds the host's slot, its sibling falls due too.
        await w.store.feeds.update({ ...w.store.feeds.get(a.id)!, nextCheckAt: t0 - 5000 });
        w.core.scheduler.reschedule(a.id);
        await until(() => w.fetches.length, (n) => n >= 1, 'the hanging fetch');
        await w.store.feeds.update({ ...w.store.feeds.get(b.id)!, nextCheckAt: t0 - 5000 });
        w.core.scheduler.reschedule(b.id);
        const s = await until(() => w.core.scheduler.status(), (v) => v.overdue === 1, 'one overdue feed');
        expect(s.lastPollAt).toBeGreaterThanOrEqual(t0);
        expect(s.maxLagMs).toBeGreaterThanOrEqual(5000);
        expect(w.fetches).toEqual([hang]); // b never got the host's slot
        const metrics = await w.core.metrics.registry.metrics();
        expect(metrics).toMatch(/herald_feeds_overdue 1\b/);
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: 'retry delays: a failing feed is polled again after POLL_INTERVAL, then twice that (backoff)',
    async run(make) {
      const url = 'https://flaky.example/feed.xml';
      const w = await make({ pollIntervalMs: 800, answer: (u, n) => (u === url && n <= 2 ? new FetchError('http', 'the server answered HTTP 500', { status: 500 }) : undefined) });
      try {
        const f = await feed(w.store, url, Date.now());
        w.core.scheduler.reschedule(f.id);
        await until(() => w.fetchTimes.length, (n) => n >= 3, 'three polls');
        const [a, b, c] = w.fetchTimes.map(([, at]) => at);
        expect(b! - a!).toBeGreaterThanOrEqual(800 - 5);
        expect(c! - b!).toBeGreaterThanOrEqual(1600 - 5);
        expect(w.store.feeds.get(f.id)).toMatchObject({ failures: 0 });
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: "retry delays: a host answering 429 with Retry-After gets none of its feeds polled until then; other hosts go on",
    async run(make) {
      const limited = 'https://limited.example/a.xml';
      const w = await make({ perHost: 1, answer: (u, n) => (u === limited && n === 1 ? new FetchError('http', 'HTTP 429', { status: 429, retryAfterMs: 1200 }) : undefined) });
      try {
        const now = Date.now();
        const a = await feed(w.store, limited, now - 3000);
        const b = await feed(w.store, 'https://limited.example/b.xml', now - 2000);
        const c = await feed(w.store, 'https://other.example/c.xml', now - 1000);
        for (const f of [a, b, c]) w.core.scheduler.reschedule(f.id);
        await until(() => w.fetches, (l) => l.includes('https://limited.example/b.xml'), 'the limited host again');
        const at = (u: string) => w.fetchTimes.find(([x]) => x === u)![1];
        expect(at('https://limited.example/b.xml') - at(limited)).toBeGreaterThanOrEqual(1200 - 20);
        expect(at('https://other.example/c.xml')).toBeLessThan(at('https://limited.example/b.xml'));
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: 'order: a channel receives its deliveries oldest first, one at a time',
    async run(make) {
      let rec!: Recorder;
      const w = await make({ senders: (core) => [(rec = new Recorder('discord', core.pacer))] });
      try {
        const s = await sub(w.store, 'C1');
        const now = Date.now();
        for (let i = 0; i < 6; i++) await w.core.queue.enqueue(s, [item(s, `i${i}`, now + i)]);
        await until(() => rec.sent.length, (n) => n >= 6, 'six sends');
        expect(rec.textsIn('C1')).toEqual(['i0', 'i1', 'i2', 'i3', 'i4', 'i5']);
        await until(() => w.store.outbox.list(channelKey(s)), (l) => l.length === 0, 'an empty outbox');
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: "retry: a send answered 'retry' with Retry-After is tried again after it, and delivered once",
    async run(make) {
      let rec!: Recorder;
      const w = await make({ senders: (core) => [(rec = new Recorder('discord', core.pacer, { script: (_c, n) => (n === 1 ? { ok: false, kind: 'retry', reason: 'busy', retryAfterMs: 400 } : undefined) }))] });
      try {
        const s = await sub(w.store, 'C1');
        await w.core.queue.enqueue(s, [item(s, 'x')]);
        await until(() => rec.sent.length, (n) => n >= 1, 'the second attempt');
        expect(rec.attempts).toHaveLength(2);
        expect(rec.attempts[1]!.at - rec.attempts[0]!.at).toBeGreaterThanOrEqual(400);
        expect(rec.textsIn('C1')).toEqual(['x']);
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: "pacing: Discord's exhausted channel bucket parks the channel until it refills; other channels go on",
    async run(make) {
      let rec!: Recorder;
      const w = await make({ senders: (core) => [(rec = new Recorder('discord', core.pacer, { bucket: { size: 2, ms: 500 } }))] });
      try {
        const busy = await sub(w.store, 'B');
        const quiet = await sub(w.store, 'Q');
        await w.core.queue.enqueue(busy, Array.from({ length: 6 }, (_, i) => item(busy, `b${i}`, Date.now() + i)));
        await w.core.queue.enqueue(quiet, [item(quiet, 'q')]);
        await until(() => rec.sent.length, (n) => n >= 7, 'seven sends');
        expect(rec.textsIn('B')).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
        expect(rec.tooEarly).toBe(0);
        const b = rec.sent.filter((x) => x.channelId === 'B');
        expect(b[2]!.at - b[1]!.at).toBeGreaterThanOrEqual(500 - 5);
        expect(b[4]!.at - b[3]!.at).toBeGreaterThanOrEqual(500 - 5);
        // The quiet channel did not wait behind the parked one.
        expect(rec.sent.findIndex((x) => x.channelId === 'Q')).toBeLessThan(rec.sent.findIndex((x) => x.text === 'b2'));
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: "pacing: Slack's per-channel rule (a burst of 3, then one per 1050 ms) holds without one early send",
    async run(make) {
      let rec!: Recorder;
      const w = await make({ senders: (core) => [(rec = new Recorder('slack', core.pacer))] });
      try {
        const busy = await sub(w.store, 'CBUSY', 'slack');
        const other = await sub(w.store, 'COTHER', 'slack');
        await w.core.queue.enqueue(busy, Array.from({ length: 5 }, (_, i) => item(busy, `s${i}`, Date.now() + i)));
        await w.core.queue.enqueue(other, [item(other, 'o')]);
        await until(() => rec.sent.length, (n) => n >= 6, 'six sends');
        expect(rec.textsIn('CBUSY')).toEqual(['s0', 's1', 's2', 's3', 's4']);
        expect(rec.tooEarly).toBe(0);
        const b = rec.sent.filter((x) => x.channelId === 'CBUSY');
        expect(b[4]!.at - b[0]!.at).toBeGreaterThanOrEqual(2 * 1050 - 20);
        expect(rec.sent.findIndex((x) => x.channelId === 'COTHER')).toBeLessThan(rec.sent.findIndex((x) => x.text === 's3'));
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: "pacing: Discord's 45 sends/s per bot holds over many channels",
    async run(make) {
      let rec!: Recorder;
      const w = await make({ senders: (core) => [(rec = new Recorder('discord', core.pacer))] });
      try {
        for (let c = 0; c < 30; c++) {
          const s = await sub(w.store, `C${c}`);
          await w.core.queue.enqueue(s, [item(s, `${c}a`), item(s, `${c}b`, Date.now() + 1)]);
        }
        await until(() => rec.sent.length, (n) => n >= 60, 'sixty sends');
        const at = rec.sent.map((s) => s.at).sort((x, y) => x - y);
        // 45/s and a burst of 3: no window of one second (less a little for two clocks) holds 49.
        for (let i = 0; i + 48 < at.length; i++) expect(at[i + 48]! - at[i]!).toBeGreaterThanOrEqual(1000 - 30);
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: 'digest: items wait for the end of their period and leave as one message',
    async run(make) {
      let rec!: Recorder;
      const w = await make({ senders: (core) => [(rec = new Recorder('discord', core.pacer))] });
      try {
        const now = Date.now();
        const end = now + 800;
        const s = await sub(w.store, 'D', 'discord', { delivery: { digest: { everyMs: 10_000, since: end - 10_000 } } });
        await w.core.queue.enqueue(s, [item(s, 'a', now), item(s, 'b', now + 1), item(s, 'c', now + 2)]);
        await until(() => rec.sent.length, (n) => n >= 1, 'the digest');
        expect(rec.sent).toHaveLength(1);
        expect(rec.sent[0]).toMatchObject({ kind: 'digest', lines: 3 });
        expect(rec.sent[0]!.at).toBeGreaterThanOrEqual(end);
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: "block then resume: 'blocked' keeps the channel's deliveries; after resume they go, in order",
    async run(make) {
      let rec!: Recorder;
      let denied = true;
      const w = await make({ senders: (core) => [(rec = new Recorder('discord', core.pacer, { script: (c) => (c === 'A' && denied ? { ok: false, kind: 'blocked', reason: 'missing permission to post' } : undefined) }))] });
      try {
        const a = await sub(w.store, 'A');
        const other = await sub(w.store, 'B');
        await w.core.queue.enqueue(a, [item(a, '1'), item(a, '2', Date.now() + 1)]);
        await w.core.queue.enqueue(other, [item(other, 'b')]);
        await until(() => w.store.subscriptions.get(a.id)?.state, (st) => st === 'blocked', 'a blocked subscription');
        await until(() => rec.sent.length, (n) => n >= 1, 'the other channel');
        w.core.queue.kick(channelKey(a)); // no retries while blocked, even when kicked
        await until(() => w.store.outbox.list(channelKey(a)), (l) => l.length === 2, 'two kept deliveries');
        expect(rec.attempts.filter((x) => x.channelId === 'A')).toHaveLength(1);
        denied = false;
        await w.store.subscriptions.update({ ...w.store.subscriptions.get(a.id)!, state: 'active' });
        w.core.queue.kick(channelKey(a));
        await until(() => rec.textsIn('A'), (t) => t.length >= 2, 'both deliveries');
        expect(rec.textsIn('A')).toEqual(['1', '2']);
      } finally {
        await w.stop();
      }
    },
  },
];
