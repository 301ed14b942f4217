// Feed autodiscovery: the <link rel="alternate" type="…feed type…" href="…"> tags of an HTML page.
import { decodeHTML } from 'entities';
import { resolveUrl } from './xml-node.js';

export interface DiscoveredFeed {
  url: string;
  title?: string;
  type: string;
}

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json', 'application/rdf+xml', 'application/xml', 'text/xml']);
const ATTR = /([^\s"'<>/=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    if (!(name in out)) out[name] = decodeHTML(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** Feed links in document order, resolved against <base href> or the page URL, without duplicates. */
export function discoverFeeds(html: string, pageUrl: string): DiscoveredFeed[] {
  // Comments and scripts can hold example markup; feeds are announced in real tags only.
  const text = html.slice(0, 1_000_000).replace(/<!--[\s\S]*?-->|<script\b[\s\S]*?<\/script\s*>/gi, '');
  const baseTag = /<base\b[^>]*>/i.exec(text)?.[0];
  const base = resolveUrl(baseTag ? attributes(baseTag)['href'] : undefined, pageUrl) ?? pageUrl;
  const found: DiscoveredFeed[] = [];
  for (const m of text.matchAll(/<link\b[^>]*>/gi)) {
    const a = attributes(m[0]);
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
