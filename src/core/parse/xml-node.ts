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

const escapeXml = (t: string, quote = false) => {
  const out = t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return quote ? out.replace(/"/g, '&quot;') : out;
};

/**
 * An element's children back as markup (xhtml content, or HTML left unescaped inside
 * <description>). xml2js keeps text and child elements apart, so mixed content comes back
 * with the text first: good enough for a preview, and what rss-parser itself produced.
 */
export function innerXml(node: XmlNode): string {
  if (typeof node === 'string') return escapeXml(node);
  let out = typeof node._ === 'string' ? escapeXml(node._) : '';
  for (const key in node) {
    if (key === '_' || key === '$') continue;
    const value = node[key];
    if (!Array.isArray(value)) continue;
    for (const child of value as XmlNode[]) {
      const attrs = typeof child === 'object' && child.$ ? Object.entries(child.$).map(([k, v]) => ` ${k}="${escapeXml(v ?? '', true)}"`).join('') : '';
      out += `<${key}${attrs}>${innerXml(child)}</${key}>`;
    }
  }
  return out;
}

/** The markup an element carries: its text when it has any (escaped HTML, CDATA), else its children. */
export function markupOf(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node._ === 'string') return node._;
  const inner = innerXml(node);
  return inner || undefined;
}
