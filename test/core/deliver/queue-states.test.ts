// What platform verdicts and stored state do to deliveries: blocked, gone, too old, paused, removed.
import { describe, expect, it } from 'vitest';
import { channelKey } from '../../../src/domain/records.js';
import { addSub, FakeSender, item, makeQueue, memoryStore, metricValue, notice } from './helpers.js';

const DAY = 86_400_000;

describe('DeliveryQueue and subscription state', () => {
  it('blocks every subscription of a channel on "blocked", keeps its deliveries, and sends them after resume', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    let denied = true;
    sender.scripts.set('A', () => (denied ? { ok: false, kind: 'blocked', reason: 'missing permission to post' } : { ok: true }));
    const { queue, lines, metrics } = makeQueue(store, [sender]);
    const a1 = await addSub(store, 'A');
    const a2 = await addSub(store, 'A');
    const other = await addSub(store, 'B');
    await queue.enqueue(a1, [notice(a1, '1'), notice(a1, '2')]);
    await queue.enqueue(a2, [notice(a2, '3')]);
    await queue.enqueue(other, [notice(other, 'b')]);
    await queue.idle();
    expect(sender.attempts.filter((x) => x.channelId === 'A')).toHaveLength(1);
    expect(sender.textsIn('B')).toEqual(['b']);
    for (const s of [a1, a2]) {
      expect(store.subscriptions.get(s.id)).toMatchObject({ state: 'blocked', blockedReason: 'missing permission to post' });
    }
    expect(store.subscriptions.get(other.id)?.state).toBe('active');
    expect(await metricValue(metrics, 'herald_subscription_state_changes_total', { platform: 'discord', state: 'blocked' })).toBe(2);
    expect(lines.filter((l) => l.to === 'blocked').map((l) => l.subscription).sort()).toEqual([a1.id, a2.id].sort());
    // No retries while blocked, even when kicked.
    queue.kick(channelKey(a1));
    await queue.idle();
    expect(sender.attempts.filter((x) => x.channelId === 'A')).toHaveLength(1);
    expect(queue.pending).toBe(3);
    // `/feeds resume`: state back to active, then a kick.
    denied = false;
    for (const s of [a1, a2]) await store.subscriptions.update({ ...store.subscriptions.get(s.id)!, state: 'active' });
    queue.kick(channelKey(a1));
    await queue.idle();
    expect(sender.textsIn('A')).toEqual(['1', '2', '3']);
  });

  it('still serves a subscription added to a channel after its others were blocked', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue } = makeQueue(store, [sender]);
    const blocked = await addSub(store, 'A', 'discord', { state: 'blocked', blockedReason: 'missing permission to post' });
    const fresh = await addSub(store, 'A');
    await queue.enqueue(blocked, [notice(blocked, 'old')]);
    await queue.enqueue(fresh, [notice(fresh, 'new')]);
    await queue.idle();
    expect(sender.textsIn('A')).toEqual(['new']);
    expect(await store.outbox.list(channelKey(blocked))).toHaveLength(1);
  });

  it('removes a gone channel\'s subscriptions and its outbox, counting and logging each', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    sender.scripts.set('A', () => ({ ok: false, kind: 'gone', reason: 'unknown channel' }));
    const { queue, lines, metrics } = makeQueue(store, [sender]);
    const a1 = await addSub(store, 'A');
    const a2 = await addSub(store, 'A');
    const b = await addSub(store, 'B');
    await queue.enqueue(a1, [notice(a1, '1'), notice(a1, '2')]);
    await queue.enqueue(a2, [notice(a2, '3')]);
    await queue.enqueue(b, [notice(b, 'b')]);
    await queue.idle();
    expect(store.subscriptions.get(a1.id)).toBeUndefined();
    expect(store.subscriptions.get(a2.id)).toBeUndefined();
    expect(store.subscriptions.get(b.id)).toBeDefined();
    expect(await store.outbox.list(channelKey(a1))).toEqual([]);
    expect(queue.pending).toBe(0);
    expect(sender.attempts.filter((x) => x.channelId === 'A')).toHaveLength(1);
    expect(await metricValue(metrics, 'herald_subscription_state_changes_total', { platform: 'discord', state: 'gone' })).toBe(2);
    expect(lines.filter((l) => l.to === 'removed')).toHaveLength(2);
  });

  it('drops deliveries older than DELIVERY_MAX_AGE with a log line instead of posting them late', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue, lines } = makeQueue(store, [sender], { maxAgeMs: DAY });
    const a = await addSub(store, 'A');
    const now = Date.now();
    await queue.enqueue(a, [item(a, 'stale', now - DAY - 60_000), item(a, 'fresh', now - DAY + 60_000)]);
    await queue.idle();
    expect(sender.textsIn('A')).toEqual(['fresh']);
    const dropped = lines.find((l) => l.msg.startsWith('delivery dropped'));
    expect(dropped).toMatchObject({ reason: 'older than DELIVERY_MAX_AGE', item: 'stale', channel: 'discord:A' });
  });

  it('gives up on a delivery that keeps failing once it is older than DELIVERY_MAX_AGE', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    sender.scripts.set('A', () => ({ ok: false, kind: 'retry', reason: 'Discord answered 503' }));
    let clock = Date.now();
    const { queue, lines } = makeQueue(store, [sender], { maxAgeMs: 1000, now: () => clock });
    const a = await addSub(store, 'A');
    await queue.enqueue(a, [notice(a, '1', clock)]);
    await new Promise((r) => setTimeout(r, 30));
    clock += 2000;
    await queue.idle();
    expect(sender.sent).toHaveLength(0);
    expect(lines.some((l) => l.reason === 'older than DELIVERY_MAX_AGE')).toBe(true);
    expect(await store.outbox.channels()).toEqual([]);
  });

  it('skips items of a paused subscription but still sends its notices', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue } = makeQueue(store, [sender]);
    const a = await addSub(store, 'A', 'discord', { paused: true });
    await queue.enqueue(a, [item(a, 'an item'), notice(a, 'a notice')]);
    await queue.idle();
    expect(sender.textsIn('A')).toEqual(['a notice']);
  });

  it('drops silently what belongs to a removed subscription', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue } = makeQueue(store, [sender]);
    const a = await addSub(store, 'A');
    await queue.persist(a, [notice(a, '1')]);
    await store.subscriptions.remove(a.id);
    queue.kick(channelKey(a));
    await queue.idle();
    expect(sender.attempts).toHaveLength(0);
    expect(await store.outbox.channels()).toEqual([]);
  });

  it('records lastPostAt for items, and the queue depth gauge follows the outbox', async () => {
    const store = await memoryStore();
    const sender = new FakeSender();
    const { queue, metrics } = makeQueue(store, [sender]);
    const a = await addSub(store, 'A');
    await queue.persist(a, [item(a, 'x'), item(a, 'y')]);
    expect(await metricValue(metrics, 'herald_delivery_queue_depth', {})).toBe(2);
    queue.kick(channelKey(a));
    await queue.idle();
    expect(await metricValue(metrics, 'herald_delivery_queue_depth', {})).toBe(0);
    expect(await metricValue(metrics, 'herald_items_delivered_total', { platform: 'discord' })).toBe(2);
    expect(store.subscriptions.get(a.id)?.lastPostAt).toBeGreaterThan(0);
  });

  it('clearChannel forgets the pending deliveries of a deleted channel', async () => {
    const store = await memoryStore();
    const { queue } = makeQueue(store, [new FakeSender()]);
    const a = await addSub(store, 'A');
    await queue.persist(a, [notice(a, '1')]);
    await queue.clearChannel(channelKey(a));
    expect(queue.pending).toBe(0);
    expect(await store.outbox.channels()).toEqual([]);
  });
});
