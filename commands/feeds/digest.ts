import { describeDigest, parseDigest, setDelivery } from '../../src/core/manage/delivery.js';
import { titleOf } from '../../src/core/manage/target.js';
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
    const sub = ctx.herald.subscriptions.resolve(ctx.channel, String(ctx.options.feed ?? ''));
    const every = String(ctx.options.every ?? '').trim();
    const title = titleOf(ctx.herald, sub);
    if (every.toLowerCase() === 'off') {
      await setDelivery(ctx.herald, sub, (d) => delete d.digest);
      await ctx.reply(`Digest off: each new item of ${title} (\`${sub.id}\`) is posted on its own again, the collected ones too.`);
      return;
    }
    const at = typeof ctx.options.at === 'string' ? ctx.options.at : undefined;
    const digest = parseDigest(every, at, ctx.herald.clock.now());
    await setDelivery(ctx.herald, sub, (d) => (d.digest = digest));
    await ctx.reply(`Digest on for ${title} (\`${sub.id}\`): new items are collected and posted together ${describeDigest(digest)}, up to 25 listed per message. Nothing is posted when nothing is new.`);
  },
} satisfies Command;
