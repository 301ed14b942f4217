import { describeRule, FILTER_FIELDS } from '../../src/application/describe.js';
import { FEED_OPTION, type Command } from '../command.js';

const opt = (v: string | number | undefined) => (typeof v === 'string' ? v : undefined);

export default {
  definition: {
    name: 'filter',
    description: 'Post only items that match (or do not match) words or /regex/',
    options: [
      FEED_OPTION,
      { name: 'include', description: 'Post only items with one of these, comma-separated: rust, "exact phrase", /re(gex)?/i', type: 'string' },
      { name: 'exclude', description: 'Never post items with one of these, comma-separated', type: 'string' },
      { name: 'field', description: 'Where to look (default: any)', type: 'string', choices: [...FILTER_FIELDS] },
      { name: 'reset', description: 'Remove the filter: post every item again', type: 'string', choices: ['true'] },
    ],
  },
  async run(ctx) {
    const include = opt(ctx.options.include);
    const exclude = opt(ctx.options.exclude);
    const field = opt(ctx.options.field);
    const r = await ctx.app.filter(ctx.channel, String(ctx.options.feed ?? ''), {
      ...(include !== undefined ? { include } : {}),
      ...(exclude !== undefined ? { exclude } : {}),
      ...(field !== undefined ? { field } : {}),
      reset: opt(ctx.options.reset) === 'true',
    });
    const id = r.subscription.id;
    const lines = [r.rule ? `Filter set for ${r.title} (\`${id}\`): ${describeRule(r.rule)}.` : `Filter removed for ${r.title} (\`${id}\`): every new item will be posted.`];
    if (r.check && 'error' in r.check) lines.push(`(Could not check it against the feed now: ${r.check.error})`);
    else if (r.check) lines.push(`${r.check.passing} of the newest ${r.check.total} item(s) would pass. /feeds preview feed:${id} shows which, and why.`);
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
