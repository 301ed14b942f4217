// RSS 0.9x / 1.0 (RDF) / 2.0 and Atom 0.3 / 1.0 through rss-parser, then Herald's mapping.
import Parser from 'rss-parser';
import { FetchError } from '../fetch/errors.js';
import { assignIds } from '../identify/index.js';
import type { ParsedFeed } from '../types.js';
import { feedMeta, type XmlFormat } from './feed-meta.js';
import { FEED_FIELDS, type Raw } from './xml-fields.js';
import { fixAmpersands } from './repair.js';
import { mapItem } from './xml-items.js';

type Parsed = Raw & { items?: Raw[] };

/**
 * rss-parser as Herald uses it: its XML reading and format detection, but each item is kept
 * as the raw xml2js node. rss-parser's own item building (HTML stripping and entity decoding
 * for "snippets", re-serialising XML, Date parsing) produces fields Herald maps differently
 * from the raw nodes anyway, and costs about a fifth of the parse. These two methods are not
 * in rss-parser's typings; the version is pinned exactly in package.json.
 */
class RawItemParser extends Parser<Raw, Raw> {
  parseItemRss(xmlItem: Raw): Raw {
    return xmlItem;
  }

  parseItemAtom(entry: Raw): Raw {
    return entry;
  }
}

// rss-parser's typings do not describe keepArray custom fields; the options object is correct at runtime.
const options = { customFields: { feed: FEED_FIELDS, item: [] }, defaultRSS: 2 } as unknown as Parser.ParserOptions<Raw, Raw>;
const strict = new RawItemParser(options);

// Loose sax mode upper-cases names; these restore the case the mapping (and rss-parser) expect.
const CASED = new Map(['rdf:RDF', 'pubDate', 'lastBuildDate', 'sy:updatePeriod', 'sy:updateFrequency', 'syn:updatePeriod', 'syn:updateFrequency', 'isPermaLink', 'content:encoded'].map((n) => [n.toLowerCase(), n]));
const restoreCase = (name: string) => CASED.get(name.toLowerCase()) ?? name.toLowerCase();
const lenient = new RawItemParser({
  ...options,
  xml2js: { strict: false, tagNameProcessors: [restoreCase], attrNameProcessors: [restoreCase] },
} as unknown as Parser.ParserOptions<Raw, Raw>);

/** xml:base on the <rss> / <rdf:RDF> root, which rss-parser does not expose for RSS. */
function rssRootBase(text: string): string | undefined {
  const root = /<(?:rss|rdf:RDF)\b[^>]*>/.exec(text.slice(0, 8192))?.[0];
  return root ? /\sxml:base\s*=\s*["']([^"']+)["']/.exec(root)?.[1] : undefined;
}

/**
 * Strict first (fast, and right for well-formed feeds); then with ampersands repaired; then a
 * forgiving sax pass for unclosed tags and bad attributes, before giving up on the feed.
 */
async function parseXml(text: string): Promise<Parsed> {
  let firstError: unknown;
  try {
    return (await strict.parseString(text)) as Parsed;
  } catch (err) {
    firstError = err;
  }
  const fixed = fixAmpersands(text);
  try {
    if (fixed !== text) return (await strict.parseString(fixed)) as Parsed;
  } catch {
    // fall through to the lenient parser
  }
  try {
    return (await lenient.parseString(fixed)) as Parsed;
  } catch {
    const first = (firstError as Error).message.split('\n')[0];
    throw new FetchError('parse', `the feed is not well-formed XML (${first})`);
  }
}

export async function parseXmlFeed(text: string, root: string, url: string): Promise<ParsedFeed> {
  const feed = await parseXml(text);
  const format: XmlFormat = root === 'feed' ? 'atom' : 'rss';
  const meta = feedMeta(feed, format, url, format === 'rss' ? rssRootBase(text) : undefined);
  const items = (feed.items ?? []).map((it, index) => mapItem(it, index, format, meta));
  const out: ParsedFeed = { title: meta.title || url, items: assignIds(items) };
  if (meta.link) out.link = meta.link;
  if (meta.iconUrl) out.iconUrl = meta.iconUrl;
  if (meta.ttlMs) out.ttlMs = meta.ttlMs;
  return out;
}
