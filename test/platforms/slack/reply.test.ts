// Command replies: response_type, escaping, and files (uploadV2, or inline when private).
import { webApi } from '@slack/bolt';
import type { RespondArguments } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { createSlackReply, replyMrkdwn } from '../../../src/platforms/slack/reply.js';
import { FakeSlack } from '../../fakes/slack/index.js';

const NEWS = 'C0PUBLIC01';
const opml = '<?xml version="1.0"?><opml version="2.0"><body><outline xmlUrl="https://a.test/feed?x=1&amp;y=2"/></body></opml>';

describe('Slack replies', () => {
  let slack: FakeSlack;
  let sent: RespondArguments[];
  const reply = () =>
    createSlackReply({
      respond: async (r) => {
        sent.push(typeof r === 'string' ? { text: r } : r);
      },
      client: new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
      channelId: NEWS,
      logger: createLogger('silent'),
    });

  beforeEach(async () => {
    slack = await new FakeSlack().start();
    sent = [];
  });
  afterEach(async () => slack.stop());

  it('turns light markdown into mrkdwn after escaping what came from feeds', () => {
    expect(replyMrkdwn('Subscribed to **<!channel> & Co** ([site](https://x.test/a|b))')).toBe('Subscribed to *&lt;!channel&gt; &amp; Co* (<https://x.test/a%7Cb|site>)');
  });

  it('maps ephemeral to response_type', async () => {
    await reply()('public');
    await reply()({ text: 'private', ephemeral: true });
    expect(sent.map((s) => s.response_type)).toEqual(['in_channel', 'ephemeral']);
  });

  it('uploads a file of a public reply with files.uploadV2', async () => {
    await reply()({ text: 'Here it is', file: { name: 'feeds.opml', content: opml } });
    expect(slack.uploads).toEqual([{ fileId: expect.any(String), filename: 'feeds.opml', content: opml, channel: NEWS }]);
    expect(sent[0]).toEqual({ response_type: 'in_channel', text: 'Here it is' });
  });

  it('puts the file inline as a code block when it is private or the upload fails', async () => {
    await reply()({ text: 'Yours only', ephemeral: true, file: { name: 'feeds.opml', content: opml } });
    slack.scopes.delete('files:write');
    await reply()({ text: 'No scope', file: { name: 'feeds.opml', content: 'a ``` b' } });
    expect(slack.uploads).toHaveLength(0);
    expect(sent[0]!.text).toContain('```\n&lt;?xml version="1.0"?&gt;&lt;opml');
    expect(sent[0]!.text).toContain('x=1&amp;amp;y=2');
    expect(sent[1]!.response_type).toBe('in_channel');
    expect(sent[1]!.text).toMatch(/^No scope\nfeeds\.opml:\n```\na `\u200b`` b\n```$/);
  });
});
