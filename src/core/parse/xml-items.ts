// One <item> / <entry> → FeedItem fields. Reads the raw nodes kept by xml-fields.ts so that
// xml:base, link relations, title types and media elements are all visible.
import type { FeedItem } from '../../domain/types.js';
import { isoDate } from './dates.js';
import { linkByRel, titleText, type FeedMeta, type XmlFormat } from './feed-meta.js';
import { itemImages } from './images.js';
import { escapeHtml, htmlToText } from './text.js';
import type { Raw } from './xml-fields.js';
import { all, attr, baseOf, first, hasElements, innerXml, markupOf, resolveUrl, text, textOf, type XmlNode } from './xml-node.js';

export type UnidentifiedItem = Omit<FeedItem, 'id'> & { guid?: string };

// pubDate (RSS 2), published (Atom 1), dc:date (RSS 1), then update times and Atom 0.3 names.
const DATE_FIELDS = ['pubDate', 'published', 'dc:date', 'updated', 'issued', 'modified', 'created'];
const NOT_A_PAGE = new Set(['self', 'edit', 'replies', 'enclosure', 'license', 'hub', 'edit-media']);

/** A child list of the <item>/<entry> element (xml-tree.ts: canonical element name → its nodes). */
const child = (it: Raw, name: string): unknown => it[name];

function itemLink(it: Raw, format: XmlFormat, base: string): string | undefined {
  const links = all(child(it, 'link'));
  if (format === 'atom') {
    const node = linkByRel(links, 'alternate') ?? links.find((l) => attr(l, 'href') && !NOT_A_PAGE.has(attr(l, 'rel') ?? ''));
    return resolveUrl(attr(node, 'href'), baseOf(node, base));
  }
  const textLink = links.map((l) => text(l)?.trim()).find(Boolean);
  if (textLink) return resolveUrl(textLink, base);
  const alt = linkByRel(child(it, 'atom:link'), 'alternate');
  if (alt) return resolveUrl(attr(alt, 'href'), base);
  // RSS 2.0: a guid is a permalink unless isPermaLink="false".
  const guid = first(child(it, 'guid'));
  const guidText = text(guid)?.trim();
  if (guidText && attr(guid, 'isPermaLink') !== 'false' && /^https?:\/\//i.test(guidText)) return resolveUrl(guidText, base);
  return undefined;
}

/** Atom content/summary as HTML, honouring type="text" (literal text, so escaped). */
function atomHtml(node: XmlNode | undefined): string | undefined {
  const value = markupOf(node);
  if (!value?.trim()) return undefined;
  const type = (attr(node, 'type') ?? '').toLowerCase();
  return type === '' || type === 'text' || type === 'text/plain' ? escapeHtml(value) : value;
}

/** Plain text of a second body (RSS description beside content:encoded, Atom summary beside content). */
function asText(node: XmlNode | undefined, format: XmlFormat): string | undefined {
  const value = markupOf(node);
  if (!value?.trim()) return undefined;
  const type = (attr(node, 'type') ?? '').toLowerCase();
  const literal = format === 'atom' && (type === '' || type === 'text' || type === 'text/plain');
  return (literal ? value.replace(/\s+/g, ' ').trim() : htmlToText(value)) || undefined;
}

/** Video and podcast feeds (YouTube) put the only description in media:description. */
function mediaDescription(it: Raw): string | undefined {
  const group = first(child(it, 'media:group'));
  const node = first(child(it, 'media:description')) ?? (typeof group === 'object' ? first(group['media:description']) : undefined);
  if (hasElements(node)) return htmlToText(innerXml(node!)) || undefined;
  const value = text(node)?.trim();
  if (!value) return undefined;
  return attr(node, 'type') === 'html' ? htmlToText(value) : value;
}

/** <title>, else dc:title, else media:title (directly or in media:group): the first non-blank. */
function itemTitle(it: Raw, format: XmlFormat): string {
  const group = first(child(it, 'media:group'));
  const candidates = [child(it, 'title'), child(it, 'dc:title'), child(it, 'media:title'), typeof group === 'object' ? group['media:title'] : undefined];
  for (const c of candidates) {
    const title = titleText(first(c), format);
    if (title) return title;
  }
  return '';
}

function categories(it: Raw): string[] {
  const out: string[] = [];
  for (const c of [...all(child(it, 'category')), ...all(child(it, 'dc:subject'))]) {
    const name = (attr(c, 'label') ?? attr(c, 'term') ?? text(c))?.trim();
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

function author(it: Raw, format: XmlFormat): string | undefined {
  const a = first(child(it, 'author'));
  const atomName = typeof a === 'object' ? textOf(a['name']) : undefined;
  if (format === 'atom') return atomName ?? textOf(child(it, 'dc:creator'));
  return textOf(child(it, 'dc:creator')) ?? atomName ?? textOf(child(it, 'author')) ?? textOf(child(it, 'itunes:author'));
}

export function mapItem(it: Raw, index: number, format: XmlFormat, meta: FeedMeta): UnidentifiedItem {
  const attrs = child(it, '$') as Record<string, string | undefined> | undefined;
  const base = resolveUrl(attrs?.['xml:base'], meta.itemBase) ?? meta.itemBase;
  // Herald maps bodies from the raw nodes (see xml-tree.ts): the main body as HTML, and a
  // second one, when the feed has both, as plain text for filters and fallbacks.
  let contentHtml: string | undefined;
  let contentNode: XmlNode | undefined;
  let summaryText: string | undefined;
  if (format === 'atom') {
    contentNode = first(child(it, 'content'));
    const summaryNode = first(child(it, 'summary'));
    contentHtml = atomHtml(contentNode);
    if (!contentHtml) {
      contentNode = summaryNode;
      contentHtml = atomHtml(summaryNode);
    } else summaryText = asText(summaryNode, format);
  } else {
    const encoded = first(child(it, 'content:encoded'));
    const description = first(child(it, 'description'));
    const nonBlank = (node: XmlNode | undefined) => {
      const m = markupOf(node);
      return m?.trim() ? m : undefined;
    };
    contentHtml = nonBlank(encoded);
    contentNode = contentHtml ? encoded : description;
    if (contentHtml) summaryText = asText(description, format);
    else contentHtml = nonBlank(description);
  }
  if (!contentHtml && !summaryText) summaryText = mediaDescription(it);
  const contentBase = baseOf(contentNode, base);
  let dateText: string | undefined;
  for (let i = 0; i < DATE_FIELDS.length && !dateText; i++) dateText = textOf(child(it, DATE_FIELDS[i]!));
  const guid = textOf(child(it, format === 'atom' ? 'id' : 'guid')) ?? attrs?.['rdf:about'];
  const item: UnidentifiedItem = {
    title: itemTitle(it, format),
    link: itemLink(it, format, base),
    contentHtml,
    summaryText,
    author: author(it, format),
    date: isoDate(dateText),
    categories: categories(it),
    images: itemImages(
      {
        enclosures: child(it, 'enclosure'),
        // Only Atom has <link rel="enclosure">; an RSS <link> is the page itself.
        links: format === 'atom' ? child(it, 'link') : undefined,
        mediaContent: child(it, 'media:content'),
        mediaThumbnail: child(it, 'media:thumbnail'),
        mediaGroup: child(it, 'media:group'),
        itunesImage: child(it, 'itunes:image'),
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
