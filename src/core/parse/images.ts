// Image candidates for an item, in the order the render stage should prefer them.
import { tokenizeHtml } from '../render/html/tokenizer.js';
import { all, attr, baseOf, first, resolveUrl, type XmlElement, type XmlNode } from './xml-node.js';

const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|avif|bmp|svg)(?:[?#]|$)/i;

const IMG = new Set(['img']);

function isImage(node: XmlNode, typeAttr = 'type'): boolean {
  const type = attr(node, typeAttr);
  const medium = attr(node, 'medium');
  if (medium) return medium === 'image';
  if (type) return type.toLowerCase().startsWith('image/');
  return IMAGE_EXT.test((attr(node, 'url') ?? attr(node, 'href') ?? '').slice(0, 2048));
}

/** The first <img src> of an HTML fragment, made absolute. */
export function firstImageIn(html: string | undefined, base: string): string | undefined {
  if (!html || !html.includes('<img')) return undefined;
  // The tokenizer (not a regex) finds it: linear, and the src comes back entity-decoded.
  const imgs = tokenizeHtml(html, Infinity, { only: IMG, maxTokens: 8 });
  const src = imgs.map((t) => (t.type === 'open' ? t.attrs['src']?.trim() : undefined)).find(Boolean);
  if (!src || src.startsWith('data:')) return undefined;
  return resolveUrl(src, base);
}

/** An item's image-bearing child lists, as xml-items.ts reads them from the element tree (xml-tree.ts). */
export interface ImageSources {
  enclosures: unknown;
  links: unknown;
  mediaContent: unknown;
  mediaThumbnail: unknown;
  mediaGroup: unknown;
  itunesImage: unknown;
}

/** enclosure (image types), media:content, media:thumbnail, itunes:image; else the first <img>. */
export function itemImages(src: ImageSources, base: string, contentHtml: string | undefined, contentBase: string): string[] {
  const out: string[] = [];
  // Most items carry no media elements at all: skip straight to the content scan.
  if (!src.enclosures && !src.mediaContent && !src.mediaThumbnail && !src.mediaGroup && !src.itunesImage && !src.links) {
    const img = firstImageIn(contentHtml, contentBase);
    return img ? [img] : out;
  }
  const add = (href: string | undefined, at: XmlNode | undefined) => {
    const abs = resolveUrl(href, baseOf(at, base));
    if (abs && !out.includes(abs)) out.push(abs);
  };
  for (const e of all(src.enclosures)) if (isImage(e)) add(attr(e, 'url'), e);
  // Atom's equivalent of an enclosure.
  for (const l of all(src.links)) if (attr(l, 'rel') === 'enclosure' && isImage(l)) add(attr(l, 'href'), l);
  const groups = all(src.mediaGroup).filter((g): g is XmlElement => typeof g !== 'string');
  const contents = [...all(src.mediaContent), ...groups.flatMap((g) => all(g['media:content']))];
  for (const m of contents) if (isImage(m)) add(attr(m, 'url'), m);
  const thumbs = [...all(src.mediaThumbnail), ...groups.flatMap((g) => all(g['media:thumbnail']))];
  for (const t of thumbs) add(attr(t, 'url'), t);
  const itunes = first(src.itunesImage);
  add(attr(itunes, 'href') ?? (typeof itunes === 'string' ? itunes : undefined), itunes);
  if (!out.length) {
    const img = firstImageIn(contentHtml, contentBase);
    if (img) out.push(img);
  }
  return out;
}
