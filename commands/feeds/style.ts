import { parseStyle, setStyle, STYLE_HELP } from '../../src/core/manage/style.js';
import { CARD_STYLES } from '../../src/domain/types.js';
import { FEED_OPTION, type Command } from '../command.js';

export default {
  definition: {
    name: 'style',
    description: "Choose how a feed's posts look here: compact card, full text, or bare link",
    options: [FEED_OPTION, { name: 'style', description: 'compact (default), full or link', type: 'string', required: true, choices: [...CARD_STYLES] }],
  },
  async run(ctx) {
    const sub = ctx.herald.subscriptions.resolve(ctx.channel, String(ctx.options.feed ?? ''));
    const style = parseStyle(String(ctx.options.style ?? ''));
    await setStyle(ctx.herald, sub, style);
    const lines = [`Style for \`${sub.id}\` is now **${style}**: ${STYLE_HELP[style]}. It applies to new items from the next poll on.`];
    if (sub.template) lines.push('This subscription also has a template, which decides the text; see /feeds template (text:reset removes it).');
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
