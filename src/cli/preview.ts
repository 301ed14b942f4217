// `herald preview <url>`: the newest items of a feed as plain text, the way Herald would post
// them: the same render model, plus what a terminal reader needs (local dates, the image
// chosen, why an image was left out).
import { plainReplyText } from '../domain/reply-text.js';
import { previewUrl } from '../application/preview.js';
import { createFetcher } from '../core/fetch/index.js';
import { renderItem } from '../core/render/index.js';
import { markdownToPlain } from '../core/render/markdown.js';
import { httpUrl } from '../core/render/url.js';
import type { FeedItem, RenderModel } from '../domain/types.js';
import type { Config } from '../config/index.js';
import { USER_AGENT } from '../version.js';
import { firstHttpImage } from './http-images.js';
import { stripControls } from './terminal.js';

export const PREVIEW_COUNT = 3;
const SNIPPET_CHARS = 280;

export const PREVIEW_USAGE = `Usage: herald preview <feed or site URL>

Fetches the feed (or finds it on a web page) and prints its newest ${PREVIEW_COUNT} items as Herald
would post them: title, link, date in your time zone (TZ), author, categories, image, text.
Follows ALLOWED_PRIVATE_NETWORKS and FEED_MAX_BYTES like the bot; needs no chat token.
`;

function snippet(model: RenderModel): string {
  const text = markdownToPlain(model.summary).replace(/\s+/g, ' ').trim();
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1).trimEnd()}…` : text;
}

/** In the reader's time zone (TZ, else the system's), with the zone named. */
export function localDate(iso: string, timeZone?: string): string {
  const fmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short', ...(timeZone ? { timeZone } : {}) });
  return fmt.format(new Date(iso));
}

export function formatModel(model: RenderModel, n: number, item?: FeedItem): string {
  const lines = [`${n}. ${model.title}`];
  lines.push(`   ${model.link ?? '(no link)'}`);
  lines.push(`   ${model.date ? localDate(model.date) : '(no date)'}${model.author ? ` · ${model.author}` : ''}`);
  if (model.categories.length) lines.push(`   Categories: ${model.categories.join(', ')}`);
  if (model.image) lines.push(`   Image: ${model.image}`);
  else {
    // Discord and Slack load images themselves and only over https: an http:// one is left out.
    const dropped = item && firstHttpImage(item.images.map((u) => httpUrl(u, item.link)), item.contentHtml, item.link);
    if (dropped) lines.push(`   Image left out: ${dropped} (Discord and Slack show only https:// images)`);
  }
  const s = snippet(model);
  if (s) lines.push(`   ${s}`);
  return lines.join('\n');
}

/** Returns the text to print; fetch and parse problems surface as a UserError from probeFeed. */
export async function previewFeed(config: Config, url: string): Promise<string> {
  // Same limits and private-network policy as the running bot, so the preview is honest.
  const fetcher = createFetcher({
    maxBytes: config.FEED_MAX_BYTES,
    userAgent: USER_AGENT,
    allowedNetworks: config.ALLOWED_PRIVATE_NETWORKS,
  });
  try {
    const { probe, items } = await previewUrl({ fetcher }, url, PREVIEW_COUNT);
    const { parsed } = probe;
    const info = { title: parsed.title, url: probe.url, ...(parsed.iconUrl ? { iconUrl: parsed.iconUrl } : {}) };
    const out = [parsed.title ? `${parsed.title} (${probe.url})` : probe.url, ...probe.notes.map(plainReplyText)];
    out.push(items.length ? `Newest ${items.length} of ${parsed.items.length} item(s), as Herald would post them:` : 'The feed has no items.');
    items.forEach((item, i) => out.push('', formatModel(renderItem(item, info), i + 1, item)));
    // Every byte above may come from the feed: nothing in it may drive the terminal.
    return stripControls(`${out.join('\n')}\n`);
  } finally {
    await fetcher.close();
  }
}
