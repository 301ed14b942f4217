// The Slack sender with a real WebClient (as configured by the adapter) against the fake Web API.
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef, OutgoingMessage } from '../../../src/domain/types.js';
import { createLogger } from '../../../src/logger.js';
import { createSlackSender } from '../../../src/platforms/slack/sender.js';
import { FakeSlack, TEAM_ID } from '../../fakes/slack/index.js';

const NEWS = 'C0PUBLIC01';
const to = (channelId: string): ChannelRef => ({ platform: 'slack', workspaceId: TEAM_ID, channelId });
const message: OutgoingMessage = {
  kind: 'item',
  title: 'Hello <!here> & you',
  link: 'https://example.com/1',
  summary: 'Some **bold** text',
  categories: [],
  feedTitle: 'Feed',
  feedUrl: 'https://example.com/feed',
  color: 0,
};

describe('Slack sender', () => {
  let slack: FakeSlack;
  let rateLimited = 0;
  const sender = (apiUrl = slack.apiUrl) =>
    createSlackSender({
      client: new webApi.WebClient('xoxb-test', { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }),
      logger: createLogger('silent'),
      pace: { intervalMs: 1050, burst: 100 },
      onRateLimited: () => rateLimited++,
    });

  beforeEach(async () => {
    slack = await new FakeSlack().start();
    rateLimited = 0;
  });
  afterEach(async () => slack.stop());

  it('posts one chat.postMessage with escaped text, blocks and unfurling off', async () => {
    expect(await sender().send(to(NEWS), message)).toEqual({ ok: true });
    const [post] = slack.postsIn(NEWS);
    expect(post!.text).toContain('Hello &lt;!here&gt; &amp; you');
    expect(post!.blocks?.length).toBeGreaterThan(0);
    expect(post!.body).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false' });
  });

  it('maps Slack errors onto retry, gone and blocked', async () => {
    const s = sender();
    const answer = async (fault: Parameters<FakeSlack['fault']>[1]) => {
      slack.fault(NEWS, fault);
      return s.send(to(NEWS), message);
    };
    expect(await answer({ error: 'ratelimited', retryAfter: 7 })).toEqual({ ok: false, kind: 'retry', reason: 'rate limited', retryAfterMs: 7000 });
    expect(rateLimited).toBe(1);
    // A private channel Herald was removed from answers channel_not_found too: resumable.
    expect(await answer({ error: 'channel_not_found' })).toMatchObject({ ok: false, kind: 'blocked', reason: expect.stringContaining('/invite @Herald') });
    expect(await answer({ error: 'channel_deleted' })).toMatchObject({ ok: false, kind: 'gone' });
    expect(await answer({ error: 'is_archived' })).toMatchObject({ ok: false, kind: 'gone' });
    expect(await answer({ error: 'missing_scope' })).toMatchObject({ ok: false, kind: 'blocked', reason: 'missing_scope' });
    expect(await answer({ error: 'restricted_action' })).toMatchObject({ ok: false, kind: 'blocked' });
    expect(await answer({ error: 'internal_error' })).toMatchObject({ ok: false, kind: 'retry' });
    expect(await answer({ error: 'service_unavailable', status: 503 })).toMatchObject({ ok: false, kind: 'retry', reason: 'Slack answered HTTP 503' });
    expect(await answer({ error: 'invalid_auth' })).toMatchObject({ ok: false, kind: 'retry', retryAfterMs: 60_000 });
    expect(slack.posts).toHaveLength(0);
  });

  it('treats a network failure as retry', async () => {
    const dead = await new FakeSlack().start();
    const url = dead.apiUrl;
    await dead.stop();
    expect(await sender(url).send(to(NEWS), message)).toMatchObject({ ok: false, kind: 'retry', reason: expect.stringMatching(/network error/) });
  });

  it('falls back to the plain text when Slack refuses the blocks', async () => {
    slack.fault(NEWS, { error: 'invalid_blocks', times: 1 });
    expect(await sender().send(to(NEWS), message)).toEqual({ ok: true });
    const [post] = slack.postsIn(NEWS);
    expect(post!.blocks).toBeUndefined();
    expect(post!.text).toContain('Hello &lt;!here&gt;');
  });

  it('on not_in_channel joins a public channel and posts again; otherwise blocks with the fix', async () => {
    slack.scopes.delete('chat:write.public');
    const general = 'C0PUBLIC02';
    expect(await sender().send(to(general), message)).toEqual({ ok: true });
    expect(slack.joins).toEqual([general]);
    slack.channels.get(general)!.isMember = false;
    slack.scopes.delete('channels:join');
    expect(await sender().send(to(general), message)).toEqual({ ok: false, kind: 'blocked', reason: 'not in channel: /invite @Herald' });
  });
});
