// The render stage: FeedItem → platform-neutral RenderModel. Everything from the feed is
// cleaned here (text decoded, HTML converted, URLs checked); platforms only format.
import { createHash } from 'node:crypto';
import type { CardStyle, FeedItem, ParsedFeed, RenderModel } from '../../domain/types.js';
import { htmlToMarkdown } from './html/to-markdown.js';
import { plainText } from './html/inline-text.js';
import { pickImage } from './image.js';
import { escapeMarkdown } from './markdown.js';
import { excerptOf } from './excerpt.js';
import { truncateText } from './fit.js';
import { stripBoilerplateMarkdown } from './full-text.js';
import { httpsUrl, httpUrl } from './url.js';

export { htmlToMarkdown, htmlToText } from './html/to-markdown.js';
export { inlineText, plainText } from './html/inline-text.js';

/** A stable colour per feed URL, so readers recognise a feed at a glance. */
export function feedColor(feedUrl: string): number {
  return createHash('sha256').update(feedUrl).digest().readUIntBE(0, 3);
}

export interface RenderFeedInfo {
  title: string;
  url: string;
  iconUrl?: string;
}

/** Categories shown: a compact card's footer stays one short line. */
const MAX_CATEGORIES: Record<CardStyle, number> = { compact: 3, full: 20, link: 0 };

function summaryOf(item: FeedItem, base: string | undefined): string {
  if (item.contentHtml?.trim()) {
    const md = htmlToMarkdown(item.contentHtml, base);
    if (md) return md;
  }
  // summaryText is plain text: escaped so that feed text never turns into markup.
  return escapeMarkdown(truncateText((item.summaryText ?? '').replace(/[ \t]+/g, ' ').trim(), 6000));
}

/** The model's text for a style: an excerpt (plain text, escaped), the full text, or none. */
function textFor(item: FeedItem, base: string | undefined, style: CardStyle): string {
  if (style === 'link') return '';
  if (style === 'full') return stripBoilerplateMarkdown(summaryOf(item, base));
  return escapeMarkdown(excerptOf(item));
}

/** Never throws: one odd item must not stop the others of the same poll. */
export function renderItem(item: FeedItem, feed: RenderFeedInfo | (ParsedFeed & { url: string }), style: CardStyle = 'compact'): RenderModel {
  const link = httpUrl(item.link);
  const model: RenderModel = {
    // FeedItem text fields are plain text, decoded once by the parse stage: not stripped again here.
    title: plainText(item.title) || '(untitled)',
    summary: textFor(item, link, style),
    categories: [...new Set(item.categories.map((c) => plainText(c)).filter(Boolean))].slice(0, MAX_CATEGORIES[style]),
    feedTitle: plainText(feed.title) || feed.url,
    feedUrl: feed.url,
    color: feedColor(feed.url),
  };
  const author = plainText(item.author);
  const date = item.date && !Number.isNaN(Date.parse(item.date)) ? new Date(item.date).toISOString() : undefined;
  const icon = httpsUrl(feed.iconUrl);
  const image = pickImage(item);
  if (link) model.link = link;
  if (author) model.author = author;
  if (date) model.date = date;
  if (icon) model.feedIcon = icon;
  if (image) model.image = image;
  if (style !== 'compact') model.style = style;
  return model;
}
