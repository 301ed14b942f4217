import { UserError } from '../../src/domain/errors.js';
import { parseFilterInput, FILTER_FIELDS } from '../../src/core/filter/index.js';
import { setFilter } from '../../src/core/manage/customize.js';
import { previewSubscription } from '../../src/core/manage/preview.js';
import { titleOf } from '../../src/core/manage/target.js';
import type { FilterRule } from '../../src/domain/records.js';
import { FEED_OPTION, type Command } from '../command.js';

const opt = (v: string | number | undefined) => (typeof v === 'string' ? v : undefined);

export function describeRule(rule: FilterRule): string {
  const parts: string[] = [];
  if (rule.include.length) parts.push(`include ${rule.include.join(', ')}`);
  if (rule.exclude.length) parts.push(`exclude ${rule.exclude.join(', ')}`);
  parts.push(`looking at ${rule.field === 'any' ? 'any field' : rule.field}`);
  return parts.join(' · ');
}

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
    const sub = ctx.herald.subscriptions.resolve(ctx.channel, String(ctx.options.feed ?? ''));
    const include = opt(ctx.options.include);
    const exclude = opt(ctx.options.exclude);
    const reset = opt(ctx.options.reset) === 'true';
    if (!reset && include === undefined && exclude === undefined) {
      const now = sub.filter ? `Current filter: ${describeRule(sub.filter)}.` : 'This feed has no filter.';
      throw new UserError(`${now} Give include: and/or exclude: terms to set one, or reset:true to remove it.`);
    }
    // The whole rule is replaced: what the reply shows is exactly what applies.
    const rule = reset ? undefined : parseFilterInput(include, exclude, opt(ctx.options.field));
    const effective = rule && (rule.include.length || rule.exclude.length) ? rule : undefined;
    await setFilter(ctx.herald, sub, effective);
    const title = titleOf(ctx.herald, sub);
    const lines = [effective ? `Filter set for ${title} (\`${sub.id}\`): ${describeRule(effective)}.` : `Filter removed for ${title} (\`${sub.id}\`): every new item will be posted.`];
    if (effective) {
      try {
        const p = await previewSubscription(ctx.herald, sub, effective);
        const passing = p.rows.filter((r) => r.verdict.pass).length;
        lines.push(`${passing} of the newest ${p.rows.length} item(s) would pass. /feeds preview feed:${sub.id} shows which, and why.`);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        lines.push(`(Could not check it against the feed now: ${err.message})`);
      }
    }
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
