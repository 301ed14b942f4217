import { FEED_OPTION, type Command } from './command.js';

export default {
  definition: {
    name: 'unsubscribe',
    description: 'Stop posting a feed into this channel',
    options: [FEED_OPTION],
  },
  async run(ctx) {
    const { subscription: sub, title } = await ctx.app.unsubscribe(ctx.channel, String(ctx.options.feed ?? ''));
    await ctx.reply(`Unsubscribed from ${title} (\`${sub.id}\`). Nothing more will be posted from it here.`);
  },
} satisfies Command;
