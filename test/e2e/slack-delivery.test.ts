// Slack delivery when channels and Slack push back: not a member, rate limited, channel gone.
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../fakes/http-util.js';
import { FakeSlack, TEAM_ID } from '../fakes/slack/index.js';
import { sign, slashOverHttp, type SlashOptions } from '../fakes/slack/slash.js';
import { item, useHerald } from './fixture.js';

const NEWS = 'C0PUBLIC01';
const GENERAL = 'C0PUBLIC02';
const PRIVATE = 'G0PRIVATE1';
const SECRET = 'test-signing-secret-456';

describe('Slack delivery and channel membership', () => {
  const w = useHerald(() => new FakeSlack().start());
  beforeEach(async () => {
    await w.run({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
  });

  const slash = (o: SlashOptions) => slashOverHttp(w.platform, { url: `http://127.0.0.1:${w.app!.port}/slack/events`, signingSecret: SECRET }, o);
  const subs = () => w.app!.core.store.subscriptions.list();

  it('tells the subscriber to /invite Herald into a private channel, and subscribes nothing', async () => {
    const feed = w.feeds.feed('/private.xml', 'Private', [item(1)]);
    const r = await slash({ command: '/subscribe', text: feed.url, channelId: PRIVATE });
    expect(r.reply?.response_type).toBe('ephemeral');
    expect(r.reply?.text).toContain('/invite @Herald');
    expect(subs()).toHaveLength(0);
    expect(w.feeds.hitsFor('/private.xml')).toBe(0);
  });

  it('joins a public channel it is not in when someone subscribes there', async () => {
    const feed = w.feeds.feed('/join.xml', 'Join', [item(1)]);
    const r = await slash({ command: '/subscribe', text: feed.url, channelId: GENERAL });
    expect(r.reply?.text).toMatch(/joined this channel/);
    expect(w.platform.joins).toEqual([GENERAL]);
    feed.set([item(2), item(1)]);
    await w.platform.waitForPosts(GENERAL, 1);
  });

  it('joins again when kicked from a public channel; blocks with the /invite fix when it cannot', async () => {
    const feed = w.feeds.feed('/kicked.xml', 'Kicked', [item(1)]);
    await slash({ command: '/subscribe', text: feed.url });
    // Kicked, and without chat:write.public posting needs membership: Herald joins back.
    w.platform.scopes.delete('chat:write.public');
    w.platform.channels.get(NEWS)!.isMember = false;
    feed.set([item(2), item(1)]);
    const posted = await w.platform.waitForPosts(NEWS, 1);
    expect(posted[0]!.text).toContain('Item 2');
    expect(w.platform.joins).toEqual([NEWS]);
    // Kicked again, now without channels:join: only a person can fix it.
    w.platform.scopes.delete('channels:join');
    w.platform.channels.get(NEWS)!.isMember = false;
    feed.set([item(3), item(2), item(1)]);
    const blocked = await waitFor(() => subs().find((s) => s.state === 'blocked'), 10_000, 'blocked subscription');
    expect(blocked.blockedReason).toBe('not in channel: /invite @Herald');
    expect(w.platform.postsIn(NEWS)).toHaveLength(1);
    // Someone invites Herald back; /feeds resume sends a test message and unblocks.
    w.platform.channels.get(NEWS)!.isMember = true;
    const resumed = await slash({ command: '/feeds', text: 'resume all' });
    expect(resumed.reply?.text).toMatch(/can post in this channel again/);
    expect(subs()[0]!.state).toBe('active');
  });

  it('waits out a 429 with Retry-After and loses nothing, in order', async () => {
    const feed = w.feeds.feed('/limited.xml', 'Limited', [item(1)]);
    await slash({ command: '/subscribe', text: feed.url });
    w.platform.fault(NEWS, { error: 'ratelimited', retryAfter: 1, times: 1 });
    feed.set([item(3), item(2), item(1)]);
    const posted = await w.platform.waitForPosts(NEWS, 2);
    expect(posted.map((p) => /Item \d/.exec(p.text)?.[0])).toEqual(['Item 2', 'Item 3']);
    const attempts = w.platform.callsTo('chat.postMessage');
    expect(attempts).toHaveLength(3);
    expect(posted[0]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('blocks (not forgets) a channel Slack calls channel_not_found, keeping its filter for /feeds resume', async () => {
    const feed = w.feeds.feed('/notfound.xml', 'Not found', [item(1)]);
    await slash({ command: '/subscribe', text: feed.url });
    const id = subs()[0]!.id;
    await slash({ command: '/feeds', text: `filter ${id} include:Item` });
    w.platform.fault(NEWS, { error: 'channel_not_found' });
    feed.set([item(2), item(1)]);
    const blocked = await waitFor(() => subs().find((s) => s.state === 'blocked'), 10_000, 'blocked subscription');
    expect(blocked).toMatchObject({ id, blockedReason: 'channel not found: if it is private, /invite @Herald back', filter: { include: ['Item'] } });
    expect(w.platform.postsIn(NEWS)).toHaveLength(0);
    // Herald is invited back: resume posts the kept item, and the filter is still there.
    w.platform.fault(NEWS, undefined);
    const resumed = await slash({ command: '/feeds', text: 'resume all' });
    expect(resumed.reply?.text).toMatch(/can post in this channel again/);
    const posted = await w.platform.waitForPosts(NEWS, 2);
    expect(posted.map((p) => p.text).join('\n')).toContain('Item 2');
    expect(subs()[0]).toMatchObject({ id, state: 'active', filter: { include: ['Item'] } });
  });

  it('forgets the subscriptions of an archived channel (is_archived)', async () => {
    const feed = w.feeds.feed('/gone.xml', 'Gone', [item(1)]);
    await slash({ command: '/subscribe', text: feed.url });
    w.platform.fault(NEWS, { error: 'is_archived' });
    feed.set([item(2), item(1)]);
    await waitFor(() => (subs().length === 0 ? true : undefined), 10_000, 'subscription removal');
    expect(w.platform.postsIn(NEWS)).toHaveLength(0);
  });

  it('forgets a channel when Slack sends channel_deleted or group_archive, and only that channel', async () => {
    const feed = w.feeds.feed('/events.xml', 'Events', [item(1)]);
    w.platform.channels.get(PRIVATE)!.isMember = true;
    w.platform.scopes.add('groups:read');
    await slash({ command: '/subscribe', text: feed.url, channelId: NEWS });
    await slash({ command: '/subscribe', text: feed.url, channelId: GENERAL });
    await slash({ command: '/subscribe', text: feed.url, channelId: PRIVATE });
    expect(subs()).toHaveLength(3);
    expect((await event({ type: 'channel_deleted', channel: NEWS })).status).toBe(200);
    await waitFor(() => (subs().length === 2 ? true : undefined), 5000, 'removal after channel_deleted');
    expect(subs().map((s) => s.channelId).sort()).toEqual([GENERAL, PRIVATE].sort());
    await event({ type: 'group_archive', channel: PRIVATE, user: 'U0MEMBER1' });
    await waitFor(() => (subs().length === 1 ? true : undefined), 5000, 'removal after group_archive');
    expect(subs()[0]!.channelId).toBe(GENERAL);
  });

  /** An Events API callback, signed like Slack signs it. */
  async function event(e: Record<string, unknown>): Promise<Response> {
    const body = JSON.stringify({ token: 'x', team_id: TEAM_ID, api_app_id: 'A0HERALD1', type: 'event_callback', event_id: `Ev${Date.now()}`, event_time: Math.floor(Date.now() / 1000), event: e });
    const ts = Math.floor(Date.now() / 1000);
    return fetch(`http://127.0.0.1:${w.app!.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(SECRET, ts, body) },
      body,
    });
  }
});
