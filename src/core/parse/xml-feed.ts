// RSS 0.9x / 1.0 (RDF) / 2.0 and Atom 0.3 / 1.0: the element tree of xml-tree.ts, then
// Herald's mapping. No strict parse and repair passes any more: the tokenizer forgives what
// real feeds get wrong (bare "&", HTML entities, unclosed tags) in one linear pass.
import { FetchError } from '../fetch/errors.js';
import { assignIds } from '../identify/index.js';
import type { ParsedFeed } from '../../domain/types.js';
import { feedMeta, type XmlFormat } from './feed-meta.js';
import type { Raw } from './xml-fields.js';
import { mapItem } from './xml-items.js';
import { all, first, type XmlElement } from './xml-node.js';
import { buildXmlTree } from './xml-tree.js';

const elements = (v: unknown): XmlElement[] => all(v).filter((n): n is XmlElement => typeof n !== 'string');

/** The local name of the root, whatever prefix it was written with ("rdf:RDF" → "rdf"). */
export function rootLocalName(name: string): string {
  return name.slice(name.indexOf(':') + 1).toLowerCase();
}

export async function parseXmlFeed(text: string, _root: string, url: string): Promise<ParsedFeed> {
  const tree = buildXmlTree(text);
  const root = tree.root;
  if (!root) throw new FetchError('parse', 'the feed is not well-formed XML (no root element)');
  if (tree.unclosed) throw new FetchError('parse', `the feed is not well-formed XML (the document ends inside <${root.$n}>)`);
  const local = rootLocalName(root.$n);
  const format: XmlFormat = local === 'feed' ? 'atom' : 'rss';
  let channel: XmlElement = root;
  let items: XmlElement[];
  if (format === 'atom') items = elements(root['entry']);
  else {
    const ch = first(root['channel']);
    if (ch && typeof ch !== 'string') channel = ch;
    // RSS 2.0 keeps items inside <channel>; RSS 0.90 and 1.0 (RDF) beside it.
    items = [...elements(channel['item']), ...(channel === root ? [] : elements(root['item']))];
  }
  const rootBase = format === 'rss' ? root.$['xml:base'] : undefined;
  const meta = feedMeta(channel as Raw, format, url, rootBase);
  const mapped = items.map((it, index) => mapItem(it as Raw, index, format, meta));
  const out: ParsedFeed = { title: meta.title || url, items: assignIds(mapped) };
  if (meta.link) out.link = meta.link;
  if (meta.iconUrl) out.iconUrl = meta.iconUrl;
  if (meta.ttlMs) out.ttlMs = meta.ttlMs;
  return out;
}
