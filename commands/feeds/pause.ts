import { FEED_OR_ALL_OPTION, type Command } from '../command.js';
import { names } from './format.js';

export default {
  definition: {
    name: 'pause',
    description: 'Stop posting a feed here for now (or all feeds)',
    options: [FEED_OR_ALL_OPTION],
  },
  async run(ctx) {
    const r = await ctx.app.pause(ctx.channel, String(ctx.options.feed ?? ''));
    const lines: string[] = [];
    if (r.paused.length) {
      lines.push(`Paused ${names(r.paused.map((s) => ctx.app.titleOf(s)))}. Items published while paused will not be posted later.`);
      lines.push(`Resume with /feeds resume feed:${r.paused.length === 1 ? r.paused[0]!.id : 'all'}.`);
    }
    if (r.alreadyPaused.length) lines.push(`Already paused: ${names(r.alreadyPaused.map((s) => ctx.app.titleOf(s)))}.`);
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
