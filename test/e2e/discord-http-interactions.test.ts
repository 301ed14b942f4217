// DISCORD_PUBLIC_KEY: slash commands over Discord's HTTP interactions endpoint, signed with Ed25519.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FAKE_PUBLIC_KEY, interactOverHttp, postSigned } from '../fakes/discord/http-interactions.js';
import { item, useHerald } from './fixture.js';

const CH1 = '300000000000000001';

describe('Discord HTTP interactions endpoint', () => {
  const w = useHerald(() => new FakeDiscord().start());
  const resolveHost = async () => [{ address: '127.0.0.1', family: 4 as const }];
  const start = (extra: Record<string, string> = { DISCORD_PUBLIC_KEY: FAKE_PUBLIC_KEY }) =>
    w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, ...extra }, { resolveHost });
  const endpoint = () => `http://127.0.0.1:${w.app!.port}/discord/interactions`;

  it('answers PING with PONG and refuses a bad or missing signature with 401', async () => {
    await start();
    const ping = await postSigned(endpoint(), JSON.stringify({ type: 1, id: '1', application_id: '1', token: 't', version: 1 }));
    expect(ping.status).toBe(200);
    expect(await ping.json()).toEqual({ type: 1 });
    expect((await postSigned(endpoint(), JSON.stringify({ type: 1 }), { wrongKey: true })).status).toBe(401);
    const unsigned = await fetch(endpoint(), { method: 'POST', body: JSON.stringify({ type: 1 }) });
    expect(unsigned.status).toBe(401);
    // A valid signature over other bytes than those sent: the body was tampered with.
    const tampered = await fetch(endpoint(), { method: 'POST', headers: { 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': '1' }, body: '{"type":1}' });
    expect(tampered.status).toBe(401);
  });

  it('refuses a correctly signed request whose timestamp is more than 5 minutes from now (a replay)', async () => {
    await start();
    const ping = JSON.stringify({ type: 1, id: '1', application_id: '1', token: 't', version: 1 });
    const at = (offsetS: number) => String(Math.floor(Date.now() / 1000) + offsetS);
    expect((await postSigned(endpoint(), ping, { timestamp: at(-301) })).status).toBe(401);
    expect((await postSigned(endpoint(), ping, { timestamp: at(301) })).status).toBe(401);
    expect((await postSigned(endpoint(), ping, { timestamp: 'yesterday' })).status).toBe(401);
    // Clocks drift: a few minutes either way is still Discord.
    expect((await postSigned(endpoint(), ping, { timestamp: at(-240) })).status).toBe(200);
    expect((await postSigned(endpoint(), ping, { timestamp: at(240) })).status).toBe(200);
  });

  it('runs /subscribe from a signed request, answers in the HTTP response, and posts new items', async () => {
    const feed = w.feeds.feed('/http-a.xml', 'Over HTTP', [item(2), item(1)]);
    await start();
    const reply = await interactOverHttp(w.platform, endpoint(), { name: 'subscribe', options: { feed: feed.url } });
    expect(reply.answerType).toBe(4);
    expect(reply.content).toContain('Over HTTP');
    // No callback request: the answer went back in the HTTP response.
    expect(w.platform.requests.filter((r) => r.path.startsWith('/interactions/'))).toEqual([]);
    const list = await interactOverHttp(w.platform, endpoint(), { name: 'feeds', subcommand: 'list' });
    expect(list.content).toContain(feed.url);
    feed.set([item(3), item(2), item(1)]);
    await w.platform.waitForMessages(CH1, 1);
  });

  it('checks Manage Channels as the gateway path does, and sends a file reply as a defer plus an edit', async () => {
    const feed = w.feeds.feed('/http-b.xml', 'Export me', [item(1)]);
    await start();
    const denied = await interactOverHttp(w.platform, endpoint(), { name: 'subscribe', options: { feed: feed.url }, permissions: '0' });
    expect(denied.ephemeral).toBe(true);
    expect(denied.content).toContain('Manage Channels');
    await interactOverHttp(w.platform, endpoint(), { name: 'subscribe', options: { feed: feed.url } });
    const exported = await interactOverHttp(w.platform, endpoint(), { name: 'feeds', subcommand: 'export' });
    expect(exported.answerType).toBe(5);
    expect(exported.files.length).toBe(1);
    expect(exported.files[0]!.data.toString()).toContain(feed.url);
  });

  it('without DISCORD_PUBLIC_KEY there is no endpoint', async () => {
    await start({});
    expect((await postSigned(endpoint(), JSON.stringify({ type: 1 }))).status).toBe(404);
  });
});
