// /feeds thread and /feeds publish, every branch: the platform's "not here", refusals by kind
// of channel, and what on/off store and reply. The real use cases over a store with one subscription.
// Replies are read as plain text: feed titles travel in untrusted spans each platform escapes.
import { describe, expect, it } from 'vitest';
import type { ChannelPlace, CommandContext } from '../../commands/command.js';
import publish from '../../commands/feeds/publish.js';
import thread from '../../commands/feeds/thread.js';
import { createUseCases, type AppDeps } from '../../src/application/index.js';
import { plainReplyText } from '../../src/domain/reply-text.js';
import type { SubscriptionRecord } from '../../src/domain/records.js';

const channel = { platform: 'discord' as const, workspaceId: 'g', channelId: 'c' };

function run(cmd: typeof publish, options: Record<string, string>, place?: ChannelPlace) {
  let stored: SubscriptionRecord = { id: 'abc123', feedId: 'f', feedUrl: 'https://example.com/feed.xml', channel } as unknown as SubscriptionRecord;
  const replies: string[] = [];
  const deps = {
    store: { feeds: { get: () => ({ title: 'Blog' }) }, subscriptions: { listByChannel: () => [stored], get: () => stored, update: async (s: SubscriptionRecord) => void (stored = s) } },
  };
  // The real use cases over a store fake that holds one subscription.
  const app = createUseCases(deps as unknown as AppDeps);
  const ctx = { app, channel, userId: 'u', options: { feed: 'abc123', ...options }, attachments: {}, reply: async (r: unknown) => void replies.push(plainReplyText(String(r))), ...(place ? { place } : {}) } as unknown as CommandContext;
  return cmd.run(ctx).then(
    () => ({ reply: replies[0], delivery: stored.delivery }),
    (err: Error) => ({ error: err.message }),
  );
}
const place = (kind: ChannelPlace['kind'], unavailable: ChannelPlace['unavailable'] = {}): ChannelPlace => ({ kind, unavailable });

describe('/feeds publish and /feeds thread', () => {
  it('publish: on and off in an announcement channel, refused elsewhere or where the platform has none', async () => {
    expect(await run(publish, { state: 'on' }, place('announcement'))).toEqual({ reply: 'New posts of Blog (`abc123`) are published to following servers.', delivery: { publish: true } });
    expect(await run(publish, { state: 'off' }, place('announcement'))).toEqual({ reply: 'New posts of Blog (`abc123`) stay in this channel (not published).', delivery: { publish: false } });
    expect(await run(publish, { state: 'on' }, place('text'))).toEqual({ error: 'Only announcement channels can publish to followers, and this channel is not one.' });
    expect(await run(publish, { state: 'off' }, place('text'))).toMatchObject({ delivery: { publish: false } });
    expect(await run(publish, { state: 'on' })).toMatchObject({ delivery: { publish: true } });
    expect(await run(publish, { state: 'on' }, place('text', { publish: 'not available on Slack' }))).toEqual({ error: '/feeds publish is not available on Slack.' });
  });

  it('thread: per-item and off in a text channel, refused in forums and threads or where the platform has none', async () => {
    expect(await run(thread, { mode: 'per-item' }, place('text'))).toEqual({ reply: 'Each new post of Blog (`abc123`) now starts a thread named after the item.', delivery: { threadPerItem: true } });
    expect(await run(thread, { mode: 'off' }, place('text'))).toEqual({ reply: 'New posts of Blog (`abc123`) no longer start threads.', delivery: undefined });
    expect(await run(thread, { mode: 'per-item' }, place('forum'))).toEqual({ error: 'This is a forum channel: every item already becomes its own post there.' });
    expect(await run(thread, { mode: 'per-item' }, place('thread'))).toEqual({ error: 'This is a thread already: posts go into it, and a thread cannot hold threads.' });
    expect(await run(thread, { mode: 'off' }, place('forum'))).toMatchObject({ delivery: undefined });
    expect(await run(thread, { mode: 'off' }, place('text', { thread: 'not available on Slack' }))).toEqual({ error: '/feeds thread is not available on Slack.' });
  });

  it('keeps the slash command definitions', () => {
    expect(publish.definition.options?.[1]).toEqual({ name: 'state', description: 'on: publish each post; off: post here only', type: 'string', required: true, choices: ['on', 'off'] });
    expect(thread.definition.options?.[1]).toMatchObject({ name: 'mode', required: true, choices: ['per-item', 'off'] });
  });
});
