import { IMPORT_MAX_FEEDS } from '../../src/application/describe.js';
import type { ImportRow } from '../../src/application/index.js';
import { untrusted } from '../../src/domain/reply-text.js';
import type { Command } from '../command.js';
import { capLines } from './format.js';

const label = (r: ImportRow) => untrusted(r.entry.title ?? r.entry.xmlUrl);

export default {
  definition: {
    name: 'import',
    description: 'Subscribe this channel to every feed in an OPML file',
    options: [
      { name: 'file', description: 'OPML file exported from a feed reader', type: 'attachment' },
      { name: 'url', description: 'Or the address of an OPML file', type: 'string' },
    ],
  },
  async run(ctx) {
    const file = ctx.attachments.file;
    const url = typeof ctx.options.url === 'string' ? ctx.options.url : undefined;
    const { listed, title, outcome: r, limits } = await ctx.app.importOpml({
      channel: ctx.channel,
      userId: ctx.userId,
      ...(file ? { file: { url: file.url, size: file.size } } : {}),
      ...(url !== undefined ? { url } : {}),
    });
    const lines = [`Read ${listed} feed(s) from ${title ? untrusted(title) : 'the OPML file'}: ${r.added.length} added, ${r.already.length} already here, ${r.failed.length} failed${r.overCap + r.overRate ? `, ${r.overCap + r.overRate} left out` : ''}.`];
    if (r.skipped) lines.push(`${r.skipped} more were not tried: one import takes at most ${IMPORT_MAX_FEEDS} feeds. Import the rest from a second file.`);
    const where = ctx.channel.platform === 'discord' ? 'server' : 'workspace';
    if (r.overCap) {
      lines.push(`${r.overCap} left out: this channel or ${where} reached the most subscriptions this Herald allows (${limits.maxPerChannel} per channel, ${limits.maxPerWorkspace} per ${where}).`);
    }
    if (r.overRate) {
      lines.push(`${r.overRate} left out for now: Herald checks at most ${limits.checksPerMinute} feeds a minute for one ${where}. Run the same import again in a minute; feeds already here are skipped without a fetch.`);
    }
    if (r.failed.length) {
      lines.push('Failed:');
      lines.push(...capLines(r.failed.map((f) => `• ${label(f)}: ${f.reason}`), 10));
    }
    if (r.added.length) lines.push('New items will be posted here as they appear; see /feeds list for the IDs.');
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
