// The render stage: FeedItem → platform-neutral RenderModel.
import { createHash } from 'node:crypto';
import type { FeedItem, ParsedFeed, RenderModel } from '../types.js';

/** Plain text from HTML: tags dropped, common entities decoded, whitespace folded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|iframe)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t\r\f\v]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

/** A stable colour per feed URL, so readers recognise a feed at a glance. */
export function feedColor(feedUrl: string): number {
  return createHash('sha256').update(feedUrl).digest().readUIntBE(0, 3);
}

export interface RenderFeedInfo {
  title: string;
  url: string;
  iconUrl?: string;
}

export function renderItem(item: FeedItem, feed: RenderFeedInfo | ParsedFeed & { url: string }): RenderModel {
  const summary = item.contentHtml ? htmlToText(item.contentHtml) : (item.summaryText ?? '');
  const image = item.images.find((u) => u.startsWith('https://'));
  const model: RenderModel = {
    title: item.title || '(untitled)',
    summary,
    categories: item.categories,
    feedTitle: feed.title,
    feedUrl: feed.url,
    color: feedColor(feed.url),
  };
  if (item.link) model.link = item.link;
  if (item.author) model.author = item.author;
  if (item.date) model.date = item.date;
  if (feed.iconUrl) model.feedIcon = feed.iconUrl;
  if (image) model.image = image;
  return model;
}
