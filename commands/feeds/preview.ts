import { untrusted } from '../../src/domain/reply-text.js';
import { FEED_OPTION, type Command } from '../command.js';
import { describeState } from './describe.js';

export default {
  definition: {
    name: 'preview',
    description: 'Fetch a feed now and show which of its newest items would be posted',
    everyone: true,
    options: [FEED_OPTION],
  },
  async run(ctx) {
    const p = await ctx.app.preview(ctx.channel, String(ctx.options.feed ?? ''));
    if (!p.rows.length) {
      await ctx.reply({ text: `${untrusted(p.feedTitle)} has no items right now.`, ephemeral: true });
      return;
    }
    const passing = p.rows.filter((r) => r.verdict.pass).length;
    const lines = [`**${untrusted(p.feedTitle)}**: newest ${p.rows.length} item(s); ${passing} would be posted (✅), ${p.rows.length - passing} filtered (🚫).`];
    const state = describeState(p.subscription, p.feed);
    if (state) lines.push(`Note: ${state}`);
    for (const { item, verdict } of p.rows) {
      const title = item.title ? untrusted(item.title.slice(0, 120)) : '(untitled)';
      lines.push(verdict.pass ? `✅ ${title}` : `🚫 ${title} (${verdict.reason})`);
    }
    await ctx.reply({ text: lines.join('\n'), ephemeral: true });
  },
} satisfies Command;
