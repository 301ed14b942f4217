import { checkAvatarUrl, checkIdentityName, setDelivery } from '../../src/core/manage/delivery.js';
import { titleOf } from '../../src/core/manage/target.js';
import { UserError } from '../../src/domain/errors.js';
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
    const sub = ctx.herald.subscriptions.resolve(ctx.channel, String(ctx.options.feed ?? ''));
    const title = titleOf(ctx.herald, sub);
    const rawName = opt(ctx.options.name);
    if (rawName?.trim().toLowerCase() === 'reset') {
      await setDelivery(ctx.herald, sub, (d) => delete d.identity);
      await ctx.reply(`New posts of ${title} (\`${sub.id}\`) appear as Herald again.`);
      return;
    }
    // Checked before anything is saved: a setting that cannot work would only mislead.
    if (ctx.place?.identityBlocked) throw new UserError(ctx.place.identityBlocked);
    const name = rawName === undefined ? undefined : checkIdentityName(rawName);
    const avatar = opt(ctx.options.avatar);
    const avatarUrl = avatar === undefined ? undefined : checkAvatarUrl(avatar);
    await setDelivery(ctx.herald, sub, (d) => (d.identity = { ...(name ? { name } : {}), ...(avatarUrl ? { avatarUrl } : {}) }));
    const who = name ? `“${name}”` : `the feed itself (its title${avatarUrl ? '' : ' and icon'})`;
    await ctx.reply(`New posts of ${title} (\`${sub.id}\`) appear as ${who}${avatarUrl ? ' with the avatar you gave' : ''}. name:reset posts as Herald again.`);
  },
} satisfies Command;
