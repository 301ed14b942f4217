// The raw channel/feed children Herald asks rss-parser to keep (customFields with keepArray),
// so feed-meta.ts can see attributes (rel, xml:base, href) that rss-parser's output drops.
// Items need no such list: xml-feed.ts hands the raw item nodes straight to the mapping.

type Field = [string, string, { keepArray: true }];
const keep = (from: string): Field => [from, `x:${from}`, { keepArray: true }];

/** Children and attributes of <channel> (RSS) or <feed> (Atom) that feed-meta.ts reads. */
export const FEED_FIELDS = ['$', 'title', 'link', 'atom:link', 'atom10:link', 'icon', 'logo', 'image', 'itunes:image', 'ttl', 'sy:updatePeriod', 'sy:updateFrequency', 'syn:updatePeriod', 'syn:updateFrequency'].map(keep);

/** A parsed channel with the fields above, or a raw item node (values are raw xml2js). */
export type Raw = Record<string, unknown>;

// Keys built once: raw() runs a few dozen times per item, and `x:${name}` would allocate each time.
const KEYS = new Map<string, string>(FEED_FIELDS.map(([from, to]) => [from, to]));

export const raw = (obj: Raw, name: string): unknown => obj[KEYS.get(name) ?? `x:${name}`];
