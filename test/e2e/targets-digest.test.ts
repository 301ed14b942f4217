// Digests end to end (real discord.js, fake Discord): items collected per period and sent
// as exactly one message, nothing when nothing is new, filters applied, kept across a restart.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { item, useHerald } from './fixture.js';
import { sleep } from './harness.js';
import { CHANNELS, expectBodiesMatchSpec, GUILD, idOf, TEXT } from './targets-helpers.js';

const description = (m: { body: Record<string, unknown> }) => String((m.body.embeds as { description?: string }[])[0]?.description ?? '');

describe('digests end to end', () => {
  const w = useHerald(() => new FakeDiscord([{ id: GUILD, channels: CHANNELS }]).start());
  const start = () => w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
  const subscribe = async (url: string) => idOf((await w.platform.interact({ name: 'subscribe', options: { feed: url }, channelId: TEXT })).content);
  const feeds = (subcommand: string, options: Record<string, string>) => w.platform.interact({ name: 'feeds', subcommand, options, channelId: TEXT });

  it('sends three new items as exactly one message, newest last, after the period; nothing when nothing is new', async () => {
    const feed = w.feeds.feed('/digest.xml', 'Digesty', [item(1)]);
    await start();
    const id = await subscribe(feed.url);
    expect((await feeds('digest', { feed: id, every: '5s' })).content).toMatch(/at least 10s/);
    expect((await feeds('digest', { feed: id, every: '10s' })).content).toMatch(/posted together every 10s/);
    expect((await feeds('filter', { feed: id, exclude: 'skip' })).content).toMatch(/Filter set/);
    const since = Date.now();
    feed.set([item(4), { ...item(3), title: 'skip me' }, item(2), item(1)]);
    await sleep(1500);
    feed.set([item(5), item(4), { ...item(3), title: 'skip me' }, item(2), item(1)]);
    await sleep(2000);
    expect(w.platform.messagesIn(TEXT)).toHaveLength(0); // held until the period ends
    const [digest] = await w.platform.waitForMessages(TEXT, 1, 20_000);
    expect(Date.now() - since).toBeLessThan(16_000);
    const lines = description(digest!).split('\n');
    expect(lines).toEqual(['• [Item 2](https://example.com/2)', '• [Item 4](https://example.com/4)', '• [Item 5](https://example.com/5)']);
    expect((digest!.body.embeds as { title: string }[])[0]!.title).toBe('3 new items');
    expect(digest!.body.allowed_mentions).toEqual({ parse: [] });
    await sleep(11_000); // a whole period with nothing new
    expect(w.platform.messagesIn(TEXT)).toHaveLength(1);
    expect(w.app!.core.queue.pending).toBe(0);
    expectBodiesMatchSpec(w.platform);
  }, 40_000);

  it('keeps collected items across a restart and sends them once; off posts them one by one', async () => {
    const feed = w.feeds.feed('/digest-restart.xml', 'Restart Digest', [item(1)]);
    const app = await start();
    const id = await subscribe(feed.url);
    await feeds('digest', { feed: id, every: '10s' });
    feed.set([item(3), item(2), item(1)]);
    await sleep(2500);
    expect(w.platform.messagesIn(TEXT)).toHaveLength(0);
    await app.stop();
    w.app = undefined;
    await start();
    const [digest] = await w.platform.waitForMessages(TEXT, 1, 20_000);
    expect(description(digest!)).toBe('• [Item 2](https://example.com/2)\n• [Item 3](https://example.com/3)');
    await sleep(1500);
    expect(w.platform.messagesIn(TEXT)).toHaveLength(1);
    // Digest off: the next items go out on their own again.
    expect((await feeds('digest', { feed: id, every: 'off' })).content).toMatch(/Digest off/);
    feed.set([item(5), item(4), item(3), item(2), item(1)]);
    const all = await w.platform.waitForMessages(TEXT, 3);
    expect(all.slice(1).map((m) => (m.body.embeds as { title: string }[])[0]!.title)).toEqual(['Item 4', 'Item 5']);
  }, 40_000);
});
