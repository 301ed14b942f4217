import { checkTemplate, placeholderList, setTemplate } from '../../src/core/manage/customize.js';
import { previewSubscription, sampleModel } from '../../src/core/manage/preview.js';
import { UserError } from '../../src/domain/errors.js';
import { applyTemplate } from '../../src/core/render/template.js';
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
    const sub = ctx.herald.subscriptions.resolve(ctx.channel, String(ctx.options.feed ?? ''));
    const text = String(ctx.options.text ?? '');
    if (text.trim().toLowerCase() === 'reset') {
      await setTemplate(ctx.herald, sub, undefined);
      await ctx.reply(`Template removed: new posts from \`${sub.id}\` use the default layout again.`);
      return;
    }
    const template = checkTemplate(text);
    await setTemplate(ctx.herald, sub, template);
    const lines = [`Template set for \`${sub.id}\`; the next new item is posted as text in this form.`];
    try {
      const preview = await previewSubscription(ctx.herald, sub);
      const newest = preview.rows[0]?.item;
      if (newest) lines.push('The newest item would look like this:', '', applyTemplate(template, sampleModel(preview, newest, sub.style)).slice(0, 1500));
      else lines.push('The feed has no items right now, so there is nothing to show.');
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      lines.push(`(No sample: ${err.message})`);
    }
    lines.push('', `Placeholders: ${placeholderList()}; \\n starts a new line. text:reset restores the default layout.`);
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
