// The raw children Herald asks rss-parser to keep (customFields with keepArray), so the
// mapping can see attributes (type, rel, xml:base, url) that rss-parser's own output drops.

type Field = [string, string, { keepArray: true }];
const keep = (from: string): Field => [from, `x:${from}`, { keepArray: true }];

/** Children and attributes of <channel> (RSS) or <feed> (Atom) that feed-meta.ts reads. */
export const FEED_FIELDS = ['$', 'title', 'link', 'atom:link', 'atom10:link', 'icon', 'logo', 'image', 'itunes:image', 'ttl', 'sy:updatePeriod', 'sy:updateFrequency', 'syn:updatePeriod', 'syn:updateFrequency'].map(keep);

/** Children and attributes of <item> / <entry> that xml-items.ts reads. */
export const ITEM_FIELDS = [
  '$',
  'title',
  'link',
  'atom:link',
  'guid',
  'id',
  'pubDate',
  'published',
  'updated',
  'issued',
  'modified',
  'created',
  'dc:date',
  'content',
  'summary',
  'description',
  'content:encoded',
  'enclosure',
  'media:content',
  'media:thumbnail',
  'media:group',
  'itunes:image',
  'category',
  'dc:subject',
  'author',
  'dc:creator',
  'itunes:author',
].map(keep);

/** What a parsed item or channel looks like with the fields above (values are raw xml2js). */
export type Raw = Record<string, unknown>;

// Keys built once: raw() runs a few dozen times per item, and `x:${name}` would allocate each time.
const KEYS = new Map<string, string>([...FEED_FIELDS, ...ITEM_FIELDS].map(([from, to]) => [from, to]));

export const raw = (obj: Raw, name: string): unknown => obj[KEYS.get(name) ?? `x:${name}`];
