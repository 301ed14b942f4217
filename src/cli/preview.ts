// `herald preview <url>`: the newest items of a feed as plain text, the way Herald would post them.
import { probeFeed } from '../core/probe.js';
import { plainReplyText } from '../core/reply-text.js';
import { newestItems } from '../core/manage/preview.js';
import { createFetcher } from '../core/fetch/index.js';
import { renderItem } from '../core/render/index.js';
import { markdownToPlain } from '../core/render/markdown.js';
import type { RenderModel } from '../core/types.js';
import type { Config } from '../config.js';
import { USER_AGENT } from '../version.js';

export const PREVIEW_COUNT = 3;
const SNIPPET_CHARS = 280;

function snippet(model: RenderModel): string {
  const text = markdownToPlain(model.summary).replace(/\s+/g, ' ').trim();
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1).trimEnd()}…` : text;
}

export function formatModel(model: RenderModel, n: number): string {
  const lines = [`${n}. ${model.title}`];
  lines.push(`   ${model.link ?? '(no link)'}`);
  lines.push(`   ${model.date ?? '(no date)'}${model.author ? ` · ${model.author}` : ''}`);
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
    const probe = await probeFeed(fetcher, url);
    const { parsed } = probe;
    const info = { title: parsed.title, url: probe.url, ...(parsed.iconUrl ? { iconUrl: parsed.iconUrl } : {}) };
    const items = newestItems(parsed.items, PREVIEW_COUNT);
    const out = [parsed.title ? `${parsed.title} (${probe.url})` : probe.url, ...probe.notes.map(plainReplyText)];
    out.push(items.length ? `Newest ${items.length} of ${parsed.items.length} item(s), as Herald would post them:` : 'The feed has no items.');
    items.forEach((item, i) => out.push('', formatModel(renderItem(item, info), i + 1)));
    return `${out.join('\n')}\n`;
  } finally {
    await fetcher.close();
  }
}
