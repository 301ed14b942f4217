// OPML in: the feed list other readers export. Parsed as XML, never by pattern matching,
// because real files nest outlines in categories and escape titles in every way.
import { untrusted } from '../../domain/reply-text.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UserError } from '../../domain/errors.js';

export interface OpmlEntry {
  xmlUrl: string;
  title?: string;
  htmlUrl?: string;
  /** heraldStyle attribute (written by /feeds export), checked on import. */
  style?: string;
  /** Titles of the enclosing outlines (folders), outermost first. */
  categories: string[];
  /** Herald's own delivery settings, when Herald wrote the file. */
  heraldDelivery?: string;
}

export interface OpmlDocument {
  title?: string;
  entries: OpmlEntry[];
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value a string: "1.0" or "true" are titles too.
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => name === 'outline',
});

const MAX_DEPTH = 20;

/** Attribute by name, ignoring case: exporters write xmlUrl, xmlurl and XMLURL. */
function attr(node: Node, name: string): string | undefined {
  const want = `@_${name}`.toLowerCase();
  for (const [k, v] of Object.entries(node)) {
    if (k.toLowerCase() === want && (typeof v === 'string' || typeof v === 'number')) {
      const text = String(v).replace(/\s+/g, ' ').trim();
      if (text) return text;
    }
  }
  return undefined;
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(outlines: unknown, path: string[], out: OpmlEntry[], depth: number): void {
  if (!Array.isArray(outlines) || depth > MAX_DEPTH) return;
  for (const o of outlines) {
    if (!isNode(o)) continue;
    const title = attr(o, 'title') ?? attr(o, 'text');
    const xmlUrl = attr(o, 'xmlUrl');
    if (xmlUrl) {
      const entry: OpmlEntry = { xmlUrl, categories: path };
      if (title) entry.title = title;
      const htmlUrl = attr(o, 'htmlUrl');
      if (htmlUrl) entry.htmlUrl = htmlUrl;
      const style = attr(o, 'heraldStyle');
      if (style) entry.style = style;
      const delivery = attr(o, 'heraldDelivery');
      if (delivery) entry.heraldDelivery = delivery;
      out.push(entry);
    }
    // A feed outline may still hold children; a folder certainly does.
    walk(o.outline, title && !xmlUrl ? [...path, title] : path, out, depth + 1);
  }
}

/** Parses an OPML document; throws a UserError that says what is wrong with the file. */
export function parseOpml(text: string): OpmlDocument {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new UserError(`That is not a valid OPML file: ${untrusted(valid.err.msg)} (line ${valid.err.line}). Export it again from your feed reader.`);
  const doc: unknown = parser.parse(text);
  const opml = isNode(doc) ? doc.opml : undefined;
  if (!isNode(opml)) throw new UserError('That XML file is not OPML (it has no <opml> element). Export your feed list as OPML from your feed reader.');
  const head = isNode(opml.head) ? opml.head : {};
  const body = isNode(opml.body) ? opml.body : {};
  const entries: OpmlEntry[] = [];
  walk(body.outline, [], entries, 0);
  const title = typeof head.title === 'string' ? head.title.trim() : undefined;
  return { ...(title ? { title } : {}), entries };
}
