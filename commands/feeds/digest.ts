import { describeDigest } from '../../src/application/describe.js';
import { FEED_OPTION, type Command } from '../command.js';

export default {
  definition: {
    name: 'digest',
    description: 'Collect new items of a feed and post them as one message per period (or off)',
    options: [
      FEED_OPTION,
      { name: 'every', description: 'Period such as 1h, 6h, 1d (at least 10s), or off', type: 'string', required: true },
      { name: 'at', description: 'Time of day the periods end, HH:MM in UTC (e.g. 08:00)', type: 'string' },
    ],
  },
  async run(ctx) {
    const at = typeof ctx.options.at === 'string' ? ctx.options.at : undefined;
    const r = await ctx.app.digest(ctx.channel, String(ctx.options.feed ?? ''), String(ctx.options.every ?? ''), at);
    if (!r.digest) {
      await ctx.reply(`Digest off: each new item of ${r.title} (\`${r.subscription.id}\`) is posted on its own again, the collected ones too.`);
      return;
    }
    await ctx.reply(`Digest on for ${r.title} (\`${r.subscription.id}\`): new items are collected and posted together ${describeDigest(r.digest)}, up to 25 listed per message. Nothing is posted when nothing is new.`);
  },
} satisfies Command;
