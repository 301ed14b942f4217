import { setDelivery } from '../../src/core/manage/delivery.js';
import { titleOf } from '../../src/core/manage/target.js';
import { UserError } from '../../src/core/errors.js';
import { FEED_OPTION, type Command } from '../command.js';

export default {
  definition: {
    name: 'thread',
    description: 'Start a discussion thread from each new post of a feed (or stop)',
    options: [FEED_OPTION, { name: 'mode', description: 'per-item: a thread for each post; off: plain posts', type: 'string', required: true, choices: ['per-item', 'off'] }],
  },
  async run(ctx) {
    const why = ctx.place?.unavailable.thread;
    if (why) throw new UserError(`/feeds thread is ${why}.`);
    const sub = ctx.herald.subscriptions.resolve(ctx.channel, String(ctx.options.feed ?? ''));
    const on = ctx.options.mode === 'per-item';
    if (on && ctx.place?.kind === 'forum') throw new UserError('This is a forum channel: every item already becomes its own post there.');
    if (on && ctx.place?.kind === 'thread') throw new UserError('This is a thread already: posts go into it, and a thread cannot hold threads.');
    await setDelivery(ctx.herald, sub, (d) => (d.threadPerItem = on || undefined));
    const title = titleOf(ctx.herald, sub);
    await ctx.reply(on ? `Each new post of ${title} (\`${sub.id}\`) now starts a thread named after the item.` : `New posts of ${title} (\`${sub.id}\`) no longer start threads.`);
  },
} satisfies Command;
