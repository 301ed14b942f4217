// OutgoingMessage → body of POST /channels/{id}/messages. Feed text is untrusted: it is
// escaped so it reads literally, mentions are defused twice (allowed_mentions and the
// text itself), and links show where they really go.
import { renderWithin, type Formatter } from '../../core/render/fit.js';
import { isDeceptiveLink, isSelfLink } from '../../core/render/links.js';
import { escapeMarkdown, tokenizeMarkdown, type MdToken } from '../../core/render/markdown.js';
import { httpsUrl, httpUrl } from '../../core/render/url.js';
import type { OutgoingMessage, RenderModel } from '../../domain/types.js';

/** https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
export const DISCORD_LIMITS = { content: 2000, title: 256, description: 4096, authorName: 256, footer: 2048, embedTotal: 6000 } as const;

export interface DiscordEmbed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  timestamp?: string;
  author?: { name: string; icon_url?: string };
  footer?: { text: string };
  image?: { url: string };
}

export interface DiscordMessagePayload {
  content: string;
  embeds?: DiscordEmbed[];
  allowed_mentions: { parse: [] };
}

/** "@everyone" → "@\u200beveryone", "<@id>" → "\<@id>": shown as typed, never a ping. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/(?<!\\)<(?=[@#/]|a?:)/g, '\\<');
}

/**
 * Defuses mentions in Herald's own text (command replies), leaving its markdown alone.
 * Kept for the adapter's interaction replies; feed text goes through the formatters below.
 */
export const sanitizeDiscordText = neutralizeMentions;

const urlText = (url: string) => url.replace(/@(everyone|here)/gi, '%40$1');

/** Markdown for message content and embed descriptions. */
const markdown: Formatter = {
  text: (s) => neutralizeMentions(escapeMarkdown(s)),
  marker: (m) => (m === 'strong' ? '**' : m === 'em' ? '_' : '~~'),
  code: (c) => (!c.trim() || c.includes('`') ? markdown.text(c) : `\`${c.replace(/@(everyone|here)/gi, '@\u200b$1')}\``),
  link: (text, url) => {
    if (!text.trim() || isSelfLink(text, url)) return urlText(url);
    if (isDeceptiveLink(text, url)) return `${markdown.text(text)} (${urlText(url)})`;
    return `[${markdown.text(text.replace(/\[/g, '(').replace(/\]/g, ')'))}](${urlText(url)})`;
  },
  url: urlText,
};

/** Herald's own notices: same escaping, but links in <> so Discord adds no preview. */
const notice: Formatter = { ...markdown, url: (u) => `<${urlText(u)}>` };

/** Embed author names and footers show no markdown (a backslash would show), so an invisible space defuses them. */
const defusePlain = (s: string) => s.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<(?=[@#/]|a?:)/g, '<\u200b');
const plain: Formatter = { text: defusePlain, marker: () => '', code: defusePlain, link: defusePlain, url: urlText };

const text = (s: string): MdToken[] => [{ type: 'text', text: s }];

function embedFor(m: RenderModel): DiscordEmbed {
  const embed: DiscordEmbed = { title: renderWithin(text(m.title), DISCORD_LIMITS.title, markdown), color: m.color & 0xffffff };
  const url = httpUrl(m.link);
  if (url) embed.url = url;
  const icon = httpsUrl(m.feedIcon);
  const name = renderWithin(text(m.feedTitle), DISCORD_LIMITS.authorName, plain);
  if (name) embed.author = icon ? { name, icon_url: icon } : { name };
  const footer = [m.author ? `by ${m.author}` : '', m.categories.join(', ')].filter(Boolean).join(' · ');
  if (footer) embed.footer = { text: renderWithin(text(footer), DISCORD_LIMITS.footer, plain) };
  // The description gets whatever the 6000-character embed budget leaves.
  const used = (embed.title?.length ?? 0) + (embed.author?.name.length ?? 0) + (embed.footer?.text.length ?? 0);
  const description = renderWithin(tokenizeMarkdown(m.summary), Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedTotal - used), markdown);
  if (description) embed.description = description;
  const image = httpsUrl(m.image);
  if (image) embed.image = { url: image };
  if (m.date && !Number.isNaN(Date.parse(m.date))) embed.timestamp = new Date(m.date).toISOString();
  return embed;
}

/** The link in angle brackets: clickable in every client, without a second preview. */
function linkContent(m: RenderModel): string {
  const url = httpUrl(m.link);
  const content = url ? `<${urlText(url)}>` : '';
  return content.length <= DISCORD_LIMITS.content ? content : '';
}

/** Style `link`: the title and the bare URL, no embed, so Discord shows its own preview. */
function linkMessage(m: RenderModel): DiscordMessagePayload {
  const url = httpUrl(m.link);
  const link = url ? `\n${urlText(url)}` : '';
  const title = renderWithin(text(m.title), Math.max(1, DISCORD_LIMITS.content - link.length), markdown);
  return { content: link.length < DISCORD_LIMITS.content ? `**${title}**${link}` : title, allowed_mentions: { parse: [] } };
}

export function toDiscordMessage(message: OutgoingMessage): DiscordMessagePayload {
  const allowed_mentions = { parse: [] as [] };
  if (message.kind === 'notice') {
    const tokens = tokenizeMarkdown(escapeMarkdown(message.text));
    return { content: renderWithin(tokens, DISCORD_LIMITS.content, notice), allowed_mentions };
  }
  if (message.templateText !== undefined) {
    const content = renderWithin(tokenizeMarkdown(message.templateText), DISCORD_LIMITS.content, markdown);
    // Discord refuses empty messages; a template that came out blank falls back to the title.
    if (content.trim()) return { content, allowed_mentions };
    return { content: renderWithin(text(message.title), DISCORD_LIMITS.content, markdown), allowed_mentions };
  }
  if (message.style === 'link') return linkMessage(message);
  return { content: linkContent(message), embeds: [embedFor(message)], allowed_mentions };
}
