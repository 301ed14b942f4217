// Feed autodiscovery: the <link rel="alternate" type="…feed type…" href="…"> tags of an HTML page.
// Read with the HTML tokenizer: comments and scripts (which can hold example markup) are
// skipped by it, attributes come back entity-decoded, and no regex runs on the page.
import { tokenizeHtml } from '../render/html/tokenizer.js';
import { resolveUrl } from './xml-node.js';

export interface DiscoveredFeed {
  url: string;
  title?: string;
  type: string;
}

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json', 'application/rdf+xml', 'application/xml', 'text/xml']);
const TAGS = new Set(['link', 'base']);
/** Page text read and tags looked at: feeds are announced in <head>, near the top. */
const MAX_PAGE = 1_000_000;
const MAX_TAGS = 2000;

/** Feed links in document order, resolved against <base href> or the page URL, without duplicates. */
export function discoverFeeds(html: string, pageUrl: string): DiscoveredFeed[] {
  const tags = tokenizeHtml(html, Infinity, { only: TAGS, maxLength: MAX_PAGE, maxTokens: MAX_TAGS });
  const baseTag = tags.find((t) => t.type === 'open' && t.name === 'base');
  const base = resolveUrl(baseTag?.type === 'open' ? baseTag.attrs['href'] : undefined, pageUrl) ?? pageUrl;
  const found: DiscoveredFeed[] = [];
  for (const t of tags) {
    if (t.type !== 'open' || t.name !== 'link') continue;
    const a = t.attrs;
    const rels = (a['rel'] ?? '').toLowerCase().split(/\s+/);
    const type = (a['type'] ?? '').toLowerCase().split(';')[0]!.trim();
    if (!rels.includes('alternate') || !FEED_TYPES.has(type)) continue;
    const url = resolveUrl(a['href'], base);
    if (!url || !/^https?:/.test(url) || found.some((f) => f.url === url)) continue;
    const title = a['title']?.trim();
    found.push({ url, type, ...(title ? { title } : {}) });
  }
  return found;
}

/** Where sites without autodiscovery usually keep their feed. */
export const COMMON_FEED_PATHS = ['/feed', '/rss', '/rss.xml', '/atom.xml', '/feed.xml', '/index.xml'];
