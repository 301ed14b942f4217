import { placeholderList } from '../../src/application/describe.js';
import { FEED_OPTION, type Command } from '../command.js';

export default {
  definition: {
    name: 'template',
    description: "Set how a feed's posts look here, e.g. {title} {link}; reset for the default",
    options: [
      FEED_OPTION,
      { name: 'text', description: 'Template with {title} {link} {summary} {author} {date} {feed} {categories} {image}, or reset', type: 'string', required: true },
    ],
  },
  async run(ctx) {
    const { subscription: sub, sample } = await ctx.app.template(ctx.channel, String(ctx.options.feed ?? ''), String(ctx.options.text ?? ''));
    if (!sample) {
      await ctx.reply(`Template removed: new posts from \`${sub.id}\` use the default layout again.`);
      return;
    }
    const lines = [`Template set for \`${sub.id}\`; the next new item is posted as text in this form.`];
    if (sample.kind === 'text') lines.push('The newest item would look like this:', '', sample.text);
    else if (sample.kind === 'empty') lines.push('The feed has no items right now, so there is nothing to show.');
    else lines.push(`(No sample: ${sample.message})`);
    lines.push('', `Placeholders: ${placeholderList()}; \\n starts a new line. text:reset restores the default layout.`);
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
