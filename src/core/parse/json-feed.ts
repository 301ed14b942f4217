// JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1), which rss-parser does not read.
import { FetchError } from '../fetch/errors.js';
import { assignIds } from '../identify/index.js';
import type { FeedItem, ParsedFeed } from '../../domain/types.js';
import { isoDate } from './dates.js';
import { firstImageIn } from './images.js';
import { decodeText } from './text.js';
import { resolveUrl } from './xml-node.js';

interface JsonFeedItem {
  id?: unknown;
  url?: unknown;
  external_url?: unknown;
  title?: unknown;
  content_html?: unknown;
  content_text?: unknown;
  summary?: unknown;
  image?: unknown;
  banner_image?: unknown;
  date_published?: unknown;
  date_modified?: unknown;
  author?: { name?: unknown };
  authors?: { name?: unknown }[];
  tags?: unknown;
  attachments?: { url?: unknown; mime_type?: unknown }[];
}

interface JsonFeedDoc {
  version?: unknown;
  title?: unknown;
  home_page_url?: unknown;
  feed_url?: unknown;
  icon?: unknown;
  favicon?: unknown;
  items?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

function notAFeed(): FetchError {
  return new FetchError('not-a-feed', 'the address serves JSON that is not a JSON Feed');
}

function mapItem(it: JsonFeedItem, index: number, base: string): Omit<FeedItem, 'id'> & { guid?: string } {
  const abs = (v: unknown) => resolveUrl(str(v), base);
  const names = Array.isArray(it.authors) ? it.authors.map((a) => str(a?.name)).filter(Boolean) : [];
  const author = names.join(', ') || str(it.author?.name);
  const contentHtml = str(it.content_html);
  const images = [abs(it.image), abs(it.banner_image)];
  if (Array.isArray(it.attachments)) for (const a of it.attachments) if (/^image\//i.test(str(a?.mime_type) ?? '')) images.push(abs(a.url));
  const unique = [...new Set(images.filter((x): x is string => !!x))];
  if (!unique.length) {
    const img = firstImageIn(contentHtml, base);
    if (img) unique.push(img);
  }
  return {
    ...(it.id === undefined || it.id === null ? {} : { guid: String(it.id) }),
    // JSON Feed titles are plain text: decode entities (publishers leave &#8217; in), keep "<b>" literal.
    title: decodeText(str(it.title)),
    link: abs(it.url) ?? abs(it.external_url),
    contentHtml,
    summaryText: str(it.summary) ?? str(it.content_text),
    author: author || undefined,
    date: isoDate(str(it.date_published) ?? str(it.date_modified)),
    categories: Array.isArray(it.tags) ? it.tags.filter((t) => typeof t === 'string' || typeof t === 'number').map(String) : [],
    images: unique,
    index,
  };
}

export function parseJsonFeed(text: string, url: string): ParsedFeed {
  let doc: JsonFeedDoc;
  try {
    doc = JSON.parse(text) as JsonFeedDoc;
  } catch {
    throw notAFeed();
  }
  if (!doc || typeof doc !== 'object' || !String(doc.version ?? '').includes('jsonfeed.org') || !Array.isArray(doc.items)) throw notAFeed();
  const home = resolveUrl(str(doc.home_page_url), url);
  const self = resolveUrl(str(doc.feed_url), url);
  const base = home ?? self ?? url;
  const items = (doc.items as unknown[]).filter((i): i is JsonFeedItem => !!i && typeof i === 'object').map((it, index) => mapItem(it, index, base));
  const out: ParsedFeed = { title: decodeText(str(doc.title)) || url, items: assignIds(items) };
  if (home) out.link = home;
  const icon = resolveUrl(str(doc.icon) ?? str(doc.favicon), base);
  if (icon) out.iconUrl = icon;
  return out;
}
