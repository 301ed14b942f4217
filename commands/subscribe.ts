import { untrusted } from '../src/domain/reply-text.js';
import type { Command } from './command.js';

export default {
  definition: {
    name: 'subscribe',
    description: 'Post new items of a feed into this channel',
    options: [
      { name: 'feed', description: 'Feed or site URL', type: 'string', required: true },
      { name: 'backfill', description: 'Also post the newest n existing items (0-10)', type: 'integer', min: 0, max: 10 },
    ],
  },
  async run(ctx) {
    const url = String(ctx.options.feed ?? '');
    const backfill = ctx.options.backfill === undefined ? 0 : Number(ctx.options.backfill);
    const r = await ctx.app.subscribe({ channel: ctx.channel, url, userId: ctx.userId, backfill });
    const title = untrusted(r.feed.title ?? r.probe.parsed.title ?? r.feed.url);
    if (r.alreadySubscribed) {
      await ctx.reply({ text: `This channel is already subscribed to ${title} (ID \`${r.subscription.id}\`). Nothing changed.`, ephemeral: true });
      return;
    }
    const newest = r.probe.parsed.items[0];
    const lines = [`Subscribed to **${title}** (ID \`${r.subscription.id}\`): ${untrusted(r.feed.url)}`];
    lines.push(newest ? `Newest item: ${newest.title ? untrusted(newest.title) : '(untitled)'}` : 'The feed has no items yet.');
    lines.push(...r.probe.notes);
    lines.push(backfill > 0 ? `Posting the newest ${backfill} item(s) now; new items follow as they appear.` : 'New items will be posted here as they appear.');
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
