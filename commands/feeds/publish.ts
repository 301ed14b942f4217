import { setDelivery } from '../../src/core/manage/delivery.js';
import { titleOf } from '../../src/core/manage/target.js';
import { UserError } from '../../src/core/errors.js';
import { FEED_OPTION, type Command } from '../command.js';

export default {
  definition: {
    name: 'publish',
    description: 'Publish posts of a feed to servers following this announcement channel (default on)',
    options: [FEED_OPTION, { name: 'state', description: 'on: publish each post; off: post here only', type: 'string', required: true, choices: ['on', 'off'] }],
  },
  async run(ctx) {
    const why = ctx.place?.unavailable.publish;
    if (why) throw new UserError(`/feeds publish is ${why}.`);
    const sub = ctx.herald.subscriptions.resolve(ctx.channel, String(ctx.options.feed ?? ''));
    const on = ctx.options.state === 'on';
    if (on && ctx.place && ctx.place.kind !== 'announcement') throw new UserError('Only announcement channels can publish to followers, and this channel is not one.');
    await setDelivery(ctx.herald, sub, (d) => (d.publish = on));
    const title = titleOf(ctx.herald, sub);
    await ctx.reply(on ? `New posts of ${title} (\`${sub.id}\`) are published to following servers.` : `New posts of ${title} (\`${sub.id}\`) stay in this channel (not published).`);
  },
} satisfies Command;
