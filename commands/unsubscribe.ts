import { titleOf } from '../src/core/manage/target.js';
import { FEED_OPTION, type Command } from './command.js';

export default {
  definition: {
    name: 'unsubscribe',
    description: 'Stop posting a feed into this channel',
    options: [FEED_OPTION],
  },
  async run(ctx) {
    const sub = await ctx.herald.subscriptions.unsubscribe(ctx.channel, String(ctx.options.feed ?? ''));
    const title = titleOf(ctx.herald, sub);
    await ctx.reply(`Unsubscribed from ${title} (\`${sub.id}\`). Nothing more will be posted from it here.`);
  },
} satisfies Command;
