// A digest as a Discord message: one embed, a linked title per line, newest last.
import { escapeMarkdown } from '../../core/render/markdown.js';
import { feedColor } from '../../core/render/index.js';
import { httpsUrl, httpUrl } from '../../core/render/url.js';
import type { DigestMessage } from '../../domain/types.js';
import { DISCORD_LIMITS, neutralizeMentions, type DiscordMessagePayload } from './render.js';

/** A line keeps a digest scannable: long titles are cut. */
const TITLE_MAX = 150;

const cut = (s: string, max: number) => ([...s].length <= max ? s : `${[...s].slice(0, max - 1).join('')}…`);
const linkText = (s: string) => neutralizeMentions(escapeMarkdown(cut(s.replace(/\s+/g, ' ').trim() || '(untitled)', TITLE_MAX))).replace(/\[/g, '(').replace(/\]/g, ')');
const safeUrl = (u: string) => u.replace(/@(everyone|here)/gi, '%40$1').replace(/\)/g, '%29');

function line(l: DigestMessage['lines'][number]): string {
  const url = httpUrl(l.link);
  return url ? `• [${linkText(l.title)}](${safeUrl(url)})` : `• ${linkText(l.title)}`;
}

export function toDiscordDigest(d: DigestMessage): DiscordMessagePayload {
  const total = d.lines.length + d.more;
  let more = d.more;
  const lines = d.lines.map(line);
  // Drop the oldest lines until the description fits; they are counted instead.
  const budget = DISCORD_LIMITS.description - 40;
  while (lines.length > 1 && lines.join('\n').length > budget) {
    lines.shift();
    more++;
  }
  const tail = more > 0 ? `\n…and ${more} more` : '';
  const author = cut(d.feedTitle.replace(/@(everyone|here)/gi, '@\u200b$1'), DISCORD_LIMITS.authorName);
  const icon = httpsUrl(d.feedIcon);
  return {
    content: '',
    embeds: [
      {
        title: cut(`${total} new item${total === 1 ? '' : 's'}`, DISCORD_LIMITS.title),
        description: `${lines.join('\n')}${tail}`,
        color: feedColor(d.feedUrl) & 0xffffff,
        ...(author ? { author: icon ? { name: author, icon_url: icon } : { name: author } } : {}),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
