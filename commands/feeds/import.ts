import { untrusted } from '../../src/domain/reply-text.js';
import { UserError } from '../../src/domain/errors.js';
import { fetchOpml } from '../../src/core/opml/fetch-opml.js';
import { IMPORT_MAX_FEEDS, importOpml, type ImportRow } from '../../src/core/opml/import.js';
import { parseOpml } from '../../src/core/opml/parse.js';
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
    const url = typeof ctx.options.url === 'string' ? ctx.options.url.trim() : '';
    if (!file && !url) throw new UserError('Attach an OPML file (file:) or give its address (url:). Most feed readers can export one.');
    // Downloading the file is a fetch like any other the workspace asks for.
    await ctx.herald.subscriptions.limits.takeCheck(ctx.channel);
    const text = file ? await fetchOpml(ctx.herald.fetcher, file.url, file.size) : await fetchOpml(ctx.herald.fetcher, url);
    const doc = parseOpml(text);
    if (!doc.entries.length) throw new UserError('That OPML file lists no feeds (no outline has an xmlUrl). Export the feed list again from your reader.');
    const r = await importOpml(ctx.herald, { channel: ctx.channel, userId: ctx.userId, entries: doc.entries });
    const lines = [`Read ${doc.entries.length} feed(s) from ${doc.title ? untrusted(doc.title) : 'the OPML file'}: ${r.added.length} added, ${r.already.length} already here, ${r.failed.length} failed${r.overCap + r.overRate ? `, ${r.overCap + r.overRate} left out` : ''}.`];
    if (r.skipped) lines.push(`${r.skipped} more were not tried: one import takes at most ${IMPORT_MAX_FEEDS} feeds. Import the rest from a second file.`);
    const limits = ctx.herald.subscriptions.limits.settings;
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
