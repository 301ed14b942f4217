// Feed-level fields: title, link, icon, polling hints, and the base URL items resolve against.
import { collapse, htmlToText, MAX_TITLE_INPUT, rssText } from './text.js';
import { raw, type Raw } from './xml-fields.js';
import { all, attr, first, hasElements, innerXml, resolveUrl, text, textOf, type XmlNode } from './xml-node.js';

export type XmlFormat = 'atom' | 'rss';

export interface FeedMeta {
  title: string;
  link?: string;
  iconUrl?: string;
  ttlMs?: number;
  /** Base for relative item URLs: xml:base, else the feed link, else the feed's own URL. */
  itemBase: string;
}

const HOUR = 3_600_000;
const PERIODS: Record<string, number> = { hourly: HOUR, daily: 24 * HOUR, weekly: 7 * 24 * HOUR, monthly: 30 * 24 * HOUR, yearly: 365 * 24 * HOUR };

/**
 * A title (or other short field) decoded once, by its declared type. Atom: type="text" (the
 * default) is literal text, "html" is HTML, "xhtml" is markup. RSS: text, unless it looks
 * like HTML a reader would render (feedparser's rule); markup left unescaped is markup.
 */
export function titleText(node: XmlNode | undefined, format: XmlFormat): string {
  if (node === undefined || typeof node === 'string') return node ? collapse(node) : '';
  if (node.$t) return ''; // nested past the depth cap: this field is dropped, not the feed
  if (hasElements(node)) return htmlToText(innerXml(node));
  const value = (text(node) ?? '').slice(0, MAX_TITLE_INPUT);
  const type = (attr(node, 'type') ?? attr(node, 'mode') ?? '').toLowerCase();
  if (format === 'atom' || type) {
    if (type === 'html' || type === 'escaped' || type === 'text/html') return htmlToText(value);
    if (type.includes('xhtml') || type === '' || type === 'text' || type === 'text/plain' || type === 'plain' || type === 'xml') return collapse(value);
  }
  return rssText(value);
}

/** Atom <link>s (and RSS atom:link): the href of the first link with this rel ("alternate" when absent). */
export function linkByRel(links: unknown, rel: string): XmlNode | undefined {
  return all(links).find((l) => typeof l !== 'string' && attr(l, 'href') !== undefined && (attr(l, 'rel') ?? 'alternate') === rel);
}

function ttlMs(channel: Raw): number | undefined {
  const hints: number[] = [];
  const ttl = Number(textOf(raw(channel, 'ttl')));
  if (Number.isFinite(ttl) && ttl > 0) hints.push(ttl * 60_000);
  const period = (textOf(raw(channel, 'sy:updatePeriod')) ?? textOf(raw(channel, 'syn:updatePeriod')))?.toLowerCase();
  const freqText = textOf(raw(channel, 'sy:updateFrequency')) ?? textOf(raw(channel, 'syn:updateFrequency'));
  if (period || freqText) {
    const every = PERIODS[period ?? 'daily'];
    const freq = Number(freqText ?? '1');
    if (every && Number.isFinite(freq) && freq > 0) hints.push(every / freq);
  }
  // Both are "no need to look more often than this": the larger one is the honest reading.
  return hints.length ? Math.max(...hints) : undefined;
}

export function feedMeta(channel: Raw, format: XmlFormat, docUrl: string, rootBase: string | undefined): FeedMeta {
  const attrs = raw(channel, '$') as Record<string, string | undefined> | undefined;
  const ownBase = resolveUrl(attrs?.['xml:base'], rootBase ?? docUrl) ?? rootBase;
  const linkNodes = [...all(raw(channel, 'link')), ...all(raw(channel, 'atom:link')), ...all(raw(channel, 'atom10:link'))];
  const self = resolveUrl(attr(linkByRel(linkNodes, 'self'), 'href'), ownBase ?? docUrl);
  const start = ownBase ?? self ?? docUrl;
  // RSS <link> is text; Atom <link> is an element with href.
  const rssLink = all(raw(channel, 'link')).map((l) => text(l)).find((l) => l?.trim());
  const link = resolveUrl(format === 'atom' ? attr(linkByRel(linkNodes, 'alternate'), 'href') : rssLink ?? attr(linkByRel(linkNodes, 'alternate'), 'href'), start);

  const image = first(raw(channel, 'image'));
  const imageUrl = typeof image === 'object' ? textOf(image['url']) ?? attr(image, 'rdf:resource') : undefined;
  const icon =
    resolveUrl(textOf(raw(channel, 'icon')), start) ??
    resolveUrl(imageUrl, start) ??
    resolveUrl(attr(first(raw(channel, 'itunes:image')), 'href'), start) ??
    resolveUrl(textOf(raw(channel, 'logo')), start);

  const meta: FeedMeta = { title: titleText(first(raw(channel, 'title')), format), itemBase: ownBase ?? link ?? self ?? docUrl };
  if (link) meta.link = link;
  if (icon) meta.iconUrl = icon;
  const ttl = ttlMs(channel);
  if (ttl) meta.ttlMs = ttl;
  return meta;
}
