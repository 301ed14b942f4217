// A post Discord created but whose answer never reached Herald (the connection died) is
// retried with the same nonce, and Discord answers the message it already has: exactly
// one message lands, in the same process or after a restart. Without the nonce each test
// here sees the item twice.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { items, useHerald } from './fixture.js';
import { sleep } from './harness.js';

const GUILD = '200000000000000001';
const [CH1, CH2] = ['300000000000000001', '300000000000000002'] as const;
const titles = (d: FakeDiscord, ch: string) => d.messagesIn(ch).map((m) => (m.body.embeds as { title: string }[])[0]!.title);
const postsTo = (d: FakeDiscord, ch: string) => d.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages`).length;

describe('delivery is idempotent on Discord', () => {
  const w = useHerald(() => new FakeDiscord([{ id: GUILD, channels: [CH1, CH2] }]).start());

  const start = () => w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
  const subscribe = (url: string, channelId: string) => w.platform.interact({ name: 'subscribe', options: { feed: url }, channelId });

  it('retries a post whose answer was lost, and exactly one message lands', async () => {
    const feed = w.feeds.feed('/lost.xml', 'Lost', items(1, 1));
    await start();
    await subscribe(feed.url, CH1);
    w.platform.lostAnswers = 1;
    feed.set(items(1, 2));
    await w.platform.waitForMessages(CH1, 1);
    // The retry (discord.js's own, or the queue's after its backoff) must have come and gone.
    await waitUntil(() => w.platform.lostAnswers === 0 && postsTo(w.platform, CH1) >= 2 && w.app!.core.queue.pending === 0);
    await sleep(1500); // anything still to come would be a duplicate
    expect(titles(w.platform, CH1)).toEqual(['Item 2']);
    expect(w.platform.nonces.hits).toBe(1);
    // Both attempts carried the same nonce, enforced.
    const sent = w.platform.messagesIn(CH1)[0]!.body;
    expect(sent).toMatchObject({ enforce_nonce: true });
    expect(String(sent.nonce).length).toBeLessThanOrEqual(25);
  });

  it('gives every delivery its own nonce: the items after a lost answer still post, in order', async () => {
    const feed = w.feeds.feed('/burst.xml', 'Burst', items(1, 1));
    await start();
    await subscribe(feed.url, CH2);
    w.platform.lostAnswers = 1;
    feed.set(items(1, 4));
    await w.platform.waitForMessages(CH2, 3);
    await waitUntil(() => w.app!.core.queue.pending === 0);
    await sleep(1500);
    expect(titles(w.platform, CH2)).toEqual(['Item 2', 'Item 3', 'Item 4']);
    const nonces = w.platform.messagesIn(CH2).map((m) => m.body.nonce);
    expect(new Set(nonces).size).toBe(3);
    expect(w.platform.nonces.hits).toBe(1);
  });

  it('a restarted Herald retries with the same nonce: the nonce comes from the stored delivery, not the process', async () => {
    const feed = w.feeds.feed('/restart.xml', 'Restart', items(1, 1));
    const first = await start();
    await subscribe(feed.url, CH1);
    // The answer is slow and then lost, so the stop lands with the post created but unconfirmed.
    w.platform.messageDelayMs = 1500;
    w.platform.lostAnswers = 1;
    feed.set(items(1, 2));
    await w.platform.waitForMessages(CH1, 1);
    await first.stop();
    w.app = undefined;
    expect(postsTo(w.platform, CH1)).toBe(1); // the retry is the next process's
    w.platform.messageDelayMs = 0;
    await start();
    await waitUntil(() => postsTo(w.platform, CH1) >= 2 && w.app!.core.queue.pending === 0);
    await sleep(1500);
    expect(titles(w.platform, CH1)).toEqual(['Item 2']);
    expect(w.platform.nonces.hits).toBe(1);
  });
});

async function waitUntil(ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error('timed out waiting for the retry');
    await sleep(50);
  }
}
