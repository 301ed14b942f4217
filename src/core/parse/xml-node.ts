// Reading the element tree of xml-tree.ts. An element keeps its children twice: in document
// order ($$, text and elements, for text() and innerXml()) and by name (element arrays, for
// the mapping code). "$" is never the start of an XML name, so these keys cannot collide.

export interface XmlElement {
  /** Name as Herald reads it (namespace prefixes canonicalised, see xml-names.ts). */
  $n: string;
  $: Record<string, string | undefined>;
  /** Children in document order: text (entities decoded, CDATA as is) and elements. */
  $$: XmlNode[];
  /** Set when nesting beyond the depth cap was dropped inside: the field is unusable. */
  $t?: true;
  [child: string]: unknown;
}
/** A text node is a plain string; child lists by name hold elements only. */
export type XmlNode = string | XmlElement;

/** Longest text or markup read from one field; bodies beyond this are cut, not refused. */
export const MAX_FIELD_LENGTH = 1_000_000;

const NONE: XmlNode[] = [];

/** The nodes of a repeated child. */
export function all(value: unknown): XmlNode[] {
  if (value === undefined || value === null) return NONE;
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

/** Whether an element has element children (markup), not only text. */
export function hasElements(node: XmlNode | undefined): boolean {
  return !!node && typeof node !== 'string' && node.$$.some((n) => typeof n !== 'string');
}

/**
 * Text content in document order, nested elements included (xhtml titles). Walked with an
 * explicit stack, not recursion; undefined for a field whose nesting went past the cap.
 */
export function text(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  if (node.$t) return undefined;
  let out = '';
  const stack: { el: XmlElement; i: number }[] = [{ el: node, i: 0 }];
  while (stack.length && out.length < MAX_FIELD_LENGTH) {
    const top = stack[stack.length - 1]!;
    const child = top.el.$$[top.i++];
    if (child === undefined) stack.pop();
    else if (typeof child === 'string') out += child;
    else stack.push({ el: child, i: 0 });
  }
  return out.length > MAX_FIELD_LENGTH ? out.slice(0, MAX_FIELD_LENGTH) : out;
}

/** Trimmed text of the first node of a child list, or undefined when blank. */
export function textOf(value: unknown): string | undefined {
  const t = text(first(value))?.trim();
  return t ? t : undefined;
}

/** Resolves `href` against `base`; undefined for blanks and unusable values. */
export function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  const h = href?.trim();
  if (!h || h.length > 8192) return undefined;
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

function openTag(el: XmlElement): string {
  let out = `<${el.$n}`;
  for (const k in el.$) out += ` ${k}="${escapeXml(el.$[k] ?? '', true)}"`;
  return `${out}>`;
}

/**
 * An element's children back as markup, in document order (xhtml content, or HTML left
 * unescaped inside <description>). Iterative, and cut at MAX_FIELD_LENGTH.
 */
export function innerXml(node: XmlNode): string {
  if (typeof node === 'string') return escapeXml(node);
  let out = '';
  const stack: { el: XmlElement; i: number }[] = [{ el: node, i: 0 }];
  while (stack.length && out.length < MAX_FIELD_LENGTH) {
    const top = stack[stack.length - 1]!;
    const child = top.el.$$[top.i++];
    if (child === undefined) {
      stack.pop();
      if (stack.length) out += `</${top.el.$n}>`;
    } else if (typeof child === 'string') out += escapeXml(child);
    else {
      out += openTag(child);
      stack.push({ el: child, i: 0 });
    }
  }
  return out;
}

/** The markup an element carries: its children as markup when it has elements, else its text. */
export function markupOf(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  if (node.$t) return undefined;
  if (!hasElements(node)) return text(node);
  const inner = innerXml(node);
  return inner || undefined;
}
