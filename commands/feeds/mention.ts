import { FEED_OPTION, type Command } from '../command.js';

export default {
  definition: {
    name: 'mention',
    description: 'Ping a role (Slack: a user group) with each new post of a feed; leave out role to stop',
    options: [FEED_OPTION, { name: 'role', description: 'Who to ping; nobody else is ever pinged', type: 'role', positional: true }],
  },
  async run(ctx) {
    const role = typeof ctx.options.role === 'string' && ctx.options.role ? ctx.options.role : undefined;
    const { subscription: sub, title } = await ctx.app.mention(ctx.channel, String(ctx.options.feed ?? ''), role);
    // The reply names the group by id: a real mention here would ping it.
    await ctx.reply(role ? `Each new post of ${title} (\`${sub.id}\`) now pings the chosen group (id ${role}), and nobody else.` : `New posts of ${title} (\`${sub.id}\`) ping nobody.`);
  },
} satisfies Command;
