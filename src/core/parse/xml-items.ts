// One <item> / <entry> → FeedItem fields. Reads the raw nodes kept by xml-fields.ts so that
// xml:base, link relations, title types and media elements are all visible.
import type { FeedItem } from '../types.js';
import { isoDate } from './dates.js';
import { linkByRel, titleText, type FeedMeta, type XmlFormat } from './feed-meta.js';
import { itemImages } from './images.js';
import { escapeHtml } from './text.js';
import { raw, type Raw } from './xml-fields.js';
import { all, attr, baseOf, first, resolveUrl, text, textOf, type XmlNode } from './xml-node.js';

export type UnidentifiedItem = Omit<FeedItem, 'id'> & { guid?: string };

// pubDate (RSS 2), published (Atom 1), dc:date (RSS 1), then update times and Atom 0.3 names.
const DATE_FIELDS = ['pubDate', 'published', 'dc:date', 'updated', 'issued', 'modified', 'created'];
const NOT_A_PAGE = new Set(['self', 'edit', 'replies', 'enclosure', 'license', 'hub', 'edit-media']);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

function itemLink(it: Raw, format: XmlFormat, base: string): string | undefined {
  const links = all(raw(it, 'link'));
  if (format === 'atom') {
    const node = linkByRel(links, 'alternate') ?? links.find((l) => attr(l, 'href') && !NOT_A_PAGE.has(attr(l, 'rel') ?? ''));
    return resolveUrl(attr(node, 'href'), baseOf(node, base));
  }
  const textLink = links.map((l) => text(l)?.trim()).find(Boolean);
  if (textLink) return resolveUrl(textLink, base);
  const alt = linkByRel(raw(it, 'atom:link'), 'alternate');
  if (alt) return resolveUrl(attr(alt, 'href'), base);
  // RSS 2.0: a guid is a permalink unless isPermaLink="false".
  const guid = first(raw(it, 'guid'));
  const guidText = text(guid)?.trim();
  if (guidText && attr(guid, 'isPermaLink') !== 'false' && /^https?:\/\//i.test(guidText)) return resolveUrl(guidText, base);
  return undefined;
}

/** Atom content/summary as HTML, honouring type="text" (literal text, so escaped). */
function atomHtml(node: XmlNode | undefined, parsed: unknown): string | undefined {
  if (node === undefined) return undefined;
  const type = (attr(node, 'type') ?? '').toLowerCase();
  const value = str(parsed) ?? text(node);
  if (!value?.trim()) return undefined;
  return type === '' || type === 'text' || type === 'text/plain' ? escapeHtml(value) : value;
}

function categories(it: Raw): string[] {
  const out: string[] = [];
  for (const c of [...all(raw(it, 'category')), ...all(raw(it, 'dc:subject'))]) {
    const name = (attr(c, 'label') ?? attr(c, 'term') ?? text(c))?.trim();
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

function author(it: Raw, format: XmlFormat): string | undefined {
  const a = first(raw(it, 'author'));
  const atomName = typeof a === 'object' ? textOf(a['name']) : undefined;
  if (format === 'atom') return atomName ?? textOf(raw(it, 'dc:creator'));
  return textOf(raw(it, 'dc:creator')) ?? atomName ?? textOf(raw(it, 'author')) ?? textOf(raw(it, 'itunes:author'));
}

export function mapItem(it: Raw, index: number, format: XmlFormat, meta: FeedMeta): UnidentifiedItem {
  const attrs = raw(it, '$') as Record<string, string | undefined> | undefined;
  const base = resolveUrl(attrs?.['xml:base'], meta.itemBase) ?? meta.itemBase;
  let contentHtml: string | undefined;
  let contentNode: XmlNode | undefined;
  let summaryText = str(it['contentSnippet']);
  if (format === 'atom') {
    contentNode = first(raw(it, 'content'));
    const summaryNode = first(raw(it, 'summary'));
    contentHtml = atomHtml(contentNode, it['content']);
    if (!contentHtml) {
      contentNode = summaryNode;
      contentHtml = atomHtml(summaryNode, it['summary']);
    } else if (summaryNode && !summaryText) summaryText = text(summaryNode)?.trim();
  } else {
    contentNode = first(raw(it, 'content:encoded')) ?? first(raw(it, 'description'));
    contentHtml = str(it['content:encoded']) ?? str(it['content']);
  }
  const contentBase = baseOf(contentNode, base);
  let dateText: string | undefined;
  for (let i = 0; i < DATE_FIELDS.length && !dateText; i++) dateText = textOf(raw(it, DATE_FIELDS[i]!));
  const guid = textOf(raw(it, format === 'atom' ? 'id' : 'guid')) ?? attrs?.['rdf:about'];
  const item: UnidentifiedItem = {
    title: titleText(first(raw(it, 'title')), format),
    link: itemLink(it, format, base),
    contentHtml,
    summaryText,
    author: author(it, format),
    date: isoDate(dateText),
    categories: categories(it),
    images: itemImages(
      {
        enclosures: raw(it, 'enclosure'),
        // Only Atom has <link rel="enclosure">; an RSS <link> is the page itself.
        links: format === 'atom' ? raw(it, 'link') : undefined,
        mediaContent: raw(it, 'media:content'),
        mediaThumbnail: raw(it, 'media:thumbnail'),
        mediaGroup: raw(it, 'media:group'),
        itunesImage: raw(it, 'itunes:image'),
      },
      base,
      contentHtml,
      contentBase,
    ),
    index,
  };
  if (guid) item.guid = guid;
  return item;
}
