import { STYLE_HELP } from '../../src/application/describe.js';
import { CARD_STYLES } from '../../src/domain/types.js';
import { FEED_OPTION, type Command } from '../command.js';

export default {
  definition: {
    name: 'style',
    description: "Choose how a feed's posts look here: compact card, full text, or bare link",
    options: [FEED_OPTION, { name: 'style', description: 'compact (default), full or link', type: 'string', required: true, choices: [...CARD_STYLES] }],
  },
  async run(ctx) {
    const { subscription: sub, style, hasTemplate } = await ctx.app.style(ctx.channel, String(ctx.options.feed ?? ''), String(ctx.options.style ?? ''));
    const lines = [`Style for \`${sub.id}\` is now **${style}**: ${STYLE_HELP[style]}. It applies to new items from the next poll on.`];
    if (hasTemplate) lines.push('This subscription also has a template, which decides the text; see /feeds template (text:reset removes it).');
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
