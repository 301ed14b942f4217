// OutgoingMessage → chat.postMessage arguments (minus channel). Everything from the feed
// is mrkdwn-escaped (&, <, >), which also makes <!channel>, <!here> and <@U…> inert;
// links are built here from checked URLs only.
import { renderWithin, type Formatter } from '../../core/render/fit.js';
import { isDeceptiveLink, isSelfLink } from '../../core/render/links.js';
import { escapeMarkdown, tokenizeMarkdown, type MdToken } from '../../core/render/markdown.js';
import { httpsUrl, httpUrl } from '../../core/render/url.js';
import type { OutgoingMessage, RenderModel } from '../../domain/types.js';

/** https://api.slack.com/reference/block-kit/blocks — limits count the escaped text. */
export const SLACK_LIMITS = { text: 40_000, section: 3000, title: 256, altText: 2000, imageUrl: 3000, contextPart: 256 } as const;

export interface SlackMessagePayload {
  text: string;
  blocks?: unknown[];
  /** true only for style `link`, where Slack's own preview is the card. */
  unfurl_links: boolean;
  unfurl_media: boolean;
}

/** Slack's three control characters; `&` first so the other escapes survive. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A URL inside <url|text>: `|` and `>` would end it early, so they are percent-encoded. */
const slackUrl = (url: string) => escapeMrkdwn(url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E'));

const mrkdwn: Formatter = {
  text: escapeMrkdwn,
  marker: (m) => (m === 'strong' ? '*' : m === 'em' ? '_' : '~'),
  code: (c) => (!c.trim() || c.includes('`') ? escapeMrkdwn(c) : `\`${escapeMrkdwn(c)}\``),
  link: (text, url) => {
    if (!text.trim() || isSelfLink(text, url)) return `<${slackUrl(url)}>`;
    if (isDeceptiveLink(text, url)) return `${escapeMrkdwn(text)} (<${slackUrl(url)}>)`;
    return `<${slackUrl(url)}|${escapeMrkdwn(text)}>`;
  },
  url: (url) => `<${slackUrl(url)}>`,
};

const text = (s: string): MdToken[] => [{ type: 'text', text: s }];
const fit = (s: string, max: number) => renderWithin(text(s), max, mrkdwn);
const base = { unfurl_links: false, unfurl_media: false } as const;

function contextText(m: RenderModel): string {
  const secs = m.date ? Math.floor(Date.parse(m.date) / 1000) : NaN;
  // <!date> shows the time in each reader's own zone; the part after | is the fallback.
  const date = Number.isFinite(secs) ? `<!date^${secs}^{date_short_pretty} {time}|${new Date(secs * 1000).toISOString()}>` : '';
  const parts = [fit(m.feedTitle, SLACK_LIMITS.contextPart), date, m.author ? fit(m.author, SLACK_LIMITS.contextPart) : '', fit(m.categories.join(', '), 2 * SLACK_LIMITS.contextPart)];
  return parts.filter(Boolean).join(' · ');
}

function itemMessage(m: RenderModel): SlackMessagePayload {
  const link = httpUrl(m.link);
  const title = fit(m.title, SLACK_LIMITS.title);
  const heading = link ? `*<${slackUrl(link)}|${title}>*` : `*${title}*`;
  const summary = renderWithin(tokenizeMarkdown(m.summary), SLACK_LIMITS.section - heading.length - 1, mrkdwn);
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: summary ? `${heading}\n${summary}` : heading } }];
  const image = httpsUrl(m.image);
  if (image && image.length <= SLACK_LIMITS.imageUrl) {
    blocks.push({ type: 'image', image_url: image, alt_text: renderWithin(text(m.title), SLACK_LIMITS.altText, { ...mrkdwn, text: (s) => s }) });
  }
  const icon = httpsUrl(m.feedIcon);
  const elements: unknown[] = icon ? [{ type: 'image', image_url: icon, alt_text: m.feedTitle.slice(0, SLACK_LIMITS.altText) || 'feed icon' }] : [];
  elements.push({ type: 'mrkdwn', text: contextText(m) });
  blocks.push({ type: 'context', elements });
  // The fallback text shows in notifications and in clients without Block Kit.
  return { text: link ? `${title} <${slackUrl(link)}>` : title, blocks, ...base };
}

/** Style `link`: title and link only, unfurled by Slack itself. */
function linkMessage(m: RenderModel): SlackMessagePayload {
  const link = httpUrl(m.link);
  const title = fit(m.title, SLACK_LIMITS.title);
  return { text: link ? `*<${slackUrl(link)}|${title}>*` : `*${title}*`, unfurl_links: true, unfurl_media: true };
}

export function toSlackMessage(message: OutgoingMessage): SlackMessagePayload {
  if (message.kind === 'notice') {
    return { text: renderWithin(tokenizeMarkdown(escapeMarkdown(message.text)), SLACK_LIMITS.text, mrkdwn), ...base };
  }
  if (message.templateText === undefined) return message.style === 'link' ? linkMessage(message) : itemMessage(message);
  const tokens = tokenizeMarkdown(message.templateText);
  // Slack refuses an empty section; a template that came out blank falls back to the title.
  const usable = tokens.some((t) => t.type !== 'text' || t.text.trim()) ? tokens : text(message.title);
  const section = renderWithin(usable, SLACK_LIMITS.section, mrkdwn);
  return { text: renderWithin(usable, SLACK_LIMITS.text, mrkdwn), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: section } }], ...base };
}
