import { describeDelivery, styleOf } from '../../src/application/describe.js';
import { untrusted } from '../../src/domain/reply-text.js';
import type { Command } from '../command.js';
import { describeState } from './describe.js';

const PAGE_SIZE = 15;

export default {
  definition: {
    name: 'list',
    description: "List this channel's subscriptions",
    everyone: true,
    options: [{ name: 'page', description: 'Page number', type: 'integer', min: 1 }],
  },
  async run(ctx) {
    const rows = ctx.app.list(ctx.channel);
    if (!rows.length) {
      await ctx.reply({ text: 'This channel has no subscriptions. Add one with /subscribe feed:<url>.', ephemeral: true });
      return;
    }
    const pages = Math.ceil(rows.length / PAGE_SIZE);
    const page = Math.min(Math.max(1, Number(ctx.options.page ?? 1)), pages);
    const lines = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(({ subscription: s, feed }) => {
      const last = s.lastPostAt ? new Date(s.lastPostAt).toISOString().replace(/\.\d+Z$/, 'Z') : 'never';
      const state = [describeState(s, feed), ...describeDelivery(s.delivery)].filter(Boolean).join(' · ');
      return `\`${s.id}\` ${feed?.title ? untrusted(feed.title) : '(untitled)'} · ${untrusted(s.feedUrl)} · style: ${styleOf(s)} · last post: ${last}${state ? ` · ${state}` : ''}`;
    });
    const header = `${rows.length} subscription(s) in this channel${pages > 1 ? ` (page ${page}/${pages}; use page:<n>)` : ''}:`;
    await ctx.reply({ text: [header, ...lines].join('\n'), ephemeral: true });
  },
} satisfies Command;
