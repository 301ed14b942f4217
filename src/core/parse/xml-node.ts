// Reading xml2js nodes (what rss-parser hands back for custom fields): an element is either a
// plain string (text only) or an object with `_` (text), `$` (attributes) and child arrays.

export interface XmlElement {
  _?: string;
  $?: Record<string, string | undefined>;
  [child: string]: unknown;
}
export type XmlNode = string | XmlElement;

/** The nodes of a repeated child, whatever shape xml2js gave it. */
const NONE: XmlNode[] = [];

export function all(value: unknown): XmlNode[] {
  if (value === undefined || value === null) return NONE;
  // xml2js child lists hold only strings and element objects; no copy needed.
  if (Array.isArray(value)) return value as XmlNode[];
  return typeof value === 'string' || typeof value === 'object' ? [value as XmlNode] : NONE;
}

export function first(value: unknown): XmlNode | undefined {
  return all(value)[0];
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  if (!node || typeof node === 'string') return undefined;
  const v = node.$?.[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** Text content, including nested elements (xhtml titles); element order inside mixed content is approximate. */
export function text(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  let out = typeof node._ === 'string' ? node._ : '';
  for (const key in node) {
    if (key === '_' || key === '$') continue;
    const value = node[key];
    if (Array.isArray(value)) for (const child of value) out += text(child as XmlNode) ?? '';
  }
  return out;
}

/** Trimmed text of the first node of a child list, or undefined when blank. */
export function textOf(value: unknown): string | undefined {
  const t = text(first(value))?.trim();
  return t ? t : undefined;
}

/** Resolves `href` against `base`; undefined for blanks and unusable values. */
export function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    return new URL(h, base).toString();
  } catch {
    return undefined;
  }
}

/** The base URL in force inside `node`: its own xml:base resolved against the outer base. */
export function baseOf(node: XmlNode | undefined, outer: string): string {
  return resolveUrl(attr(node, 'xml:base'), outer) ?? outer;
}
