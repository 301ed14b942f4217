// JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1), which rss-parser does not read.
import { FetchError } from '../fetch/index.js';
import { assignIds } from '../identify/index.js';
import type { FeedItem, ParsedFeed } from '../types.js';

interface JsonFeedItem {
  id?: unknown;
  url?: string;
  external_url?: string;
  title?: string;
  content_html?: string;
  content_text?: string;
  summary?: string;
  image?: string;
  banner_image?: string;
  date_published?: string;
  date_modified?: string;
  author?: { name?: string };
  authors?: { name?: string }[];
  tags?: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

export function parseJsonFeed(text: string, url: string): ParsedFeed {
  let doc: { version?: unknown; title?: unknown; home_page_url?: unknown; icon?: unknown; favicon?: unknown; items?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    throw new FetchError('not-a-feed', 'the address serves JSON that is not a JSON Feed');
  }
  if (!doc || typeof doc !== 'object' || !String(doc.version ?? '').includes('jsonfeed.org') || !Array.isArray(doc.items)) {
    throw new FetchError('not-a-feed', 'the address serves JSON that is not a JSON Feed');
  }
  const home = str(doc.home_page_url);
  const base = home ? new URL(home, url).toString() : url;
  const abs = (href: string | undefined) => {
    if (!href) return undefined;
    try {
      return new URL(href, base).toString();
    } catch {
      return undefined;
    }
  };
  const items: (Omit<FeedItem, 'id'> & { guid?: string })[] = (doc.items as JsonFeedItem[]).map((it, index) => {
    const date = str(it.date_published) ?? str(it.date_modified);
    const parsed = date ? Date.parse(date) : NaN;
    const author = it.authors?.map((a) => a.name).filter(Boolean).join(', ') || it.author?.name;
    return {
      guid: it.id === undefined || it.id === null ? undefined : String(it.id),
      title: str(it.title) ?? '',
      link: abs(str(it.url) ?? str(it.external_url)),
      contentHtml: str(it.content_html),
      summaryText: str(it.summary) ?? str(it.content_text),
      author: author || undefined,
      date: Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString(),
      categories: Array.isArray(it.tags) ? it.tags.map(String) : [],
      images: [abs(str(it.image)), abs(str(it.banner_image))].filter((x): x is string => !!x),
      index,
    };
  });
  return {
    title: str(doc.title) ?? url,
    link: home ? base : undefined,
    iconUrl: abs(str(doc.icon) ?? str(doc.favicon)),
    items: assignIds(items),
  };
}
