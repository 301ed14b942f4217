import { FEED_OPTION, type Command } from '../command.js';

const opt = (v: string | number | undefined) => (typeof v === 'string' && v.trim() ? v : undefined);

export default {
  definition: {
    name: 'identity',
    description: "Post a feed under its own name and avatar instead of Herald's (name:reset to undo)",
    options: [
      FEED_OPTION,
      { name: 'name', description: "Name shown on posts (default: the feed's title), or reset", type: 'string' },
      { name: 'avatar', description: "https:// address of the avatar image (default: the feed's icon)", type: 'string' },
    ],
  },
  async run(ctx) {
    const name = opt(ctx.options.name);
    const avatar = opt(ctx.options.avatar);
    const blocked = ctx.place?.identityBlocked;
    const r = await ctx.app.identity(ctx.channel, String(ctx.options.feed ?? ''), { ...(name !== undefined ? { name } : {}), ...(avatar !== undefined ? { avatar } : {}), ...(blocked ? { blocked } : {}) });
    if (r.reset) {
      await ctx.reply(`New posts of ${r.title} (\`${r.subscription.id}\`) appear as Herald again.`);
      return;
    }
    const who = r.name ? `“${r.name}”` : `the feed itself (its title${r.avatarUrl ? '' : ' and icon'})`;
    await ctx.reply(`New posts of ${r.title} (\`${r.subscription.id}\`) appear as ${who}${r.avatarUrl ? ' with the avatar you gave' : ''}. name:reset posts as Herald again.`);
  },
} satisfies Command;
