// The parse stage: bytes → ParsedFeed. rss-parser for XML, our own mapping for JSON Feed.
import Parser from 'rss-parser';
import { FetchError } from '../fetch/index.js';
import type { FeedItem, ParsedFeed } from '../types.js';
import { assignIds } from '../identify/index.js';

export interface ParseInput {
  body: Buffer;
  contentType?: string;
  /** Final URL of the document, used to resolve relative links. */
  url: string;
}

type RssItem = Parser.Item & { id?: string; author?: string; 'content:encoded'?: string; enclosure?: { url?: string; type?: string } };

const parser = new Parser<Record<string, unknown>, RssItem>();

function looksLikeJson(input: ParseInput, text: string): boolean {
  return /json/i.test(input.contentType ?? '') || /^\s*\{/.test(text);
}

function absolute(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href.trim(), base).toString();
  } catch {
    return undefined;
  }
}

function isoDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

async function parseXml(text: string, input: ParseInput): Promise<ParsedFeed> {
  let feed: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    feed = await parser.parseString(text);
  } catch (err) {
    throw new FetchError('parse', `the feed could not be parsed (${(err as Error).message.split('\n')[0]})`);
  }
  const base = absolute(feed.link, input.url) ?? input.url;
  const items: Omit<FeedItem, 'id'>[] = (feed.items ?? []).map((it, index) => ({
    title: (it.title ?? '').trim(),
    link: absolute(it.link, base),
    contentHtml: it['content:encoded'] ?? it.content,
    summaryText: it.contentSnippet,
    author: it.creator ?? it.author,
    date: isoDate(it.isoDate ?? it.pubDate),
    categories: (it.categories ?? []).map(String),
    images: it.enclosure?.url && /^image\//.test(it.enclosure.type ?? 'image/') ? [it.enclosure.url] : [],
    index,
    guid: it.guid ?? it.id,
  }));
  return { title: (feed.title ?? '').trim() || input.url, link: absolute(feed.link, input.url), items: assignIds(items) };
}

export async function parseFeed(input: ParseInput): Promise<ParsedFeed> {
  const text = input.body.toString('utf8').replace(/^\uFEFF/, '');
  if (looksLikeJson(input, text)) {
    const { parseJsonFeed } = await import('./json-feed.js');
    return parseJsonFeed(text, input.url);
  }
  if (!/<(rss|feed|rdf:RDF|channel)[\s>]/i.test(text)) {
    throw new FetchError('not-a-feed', 'the address does not serve an RSS, Atom or JSON feed');
  }
  return parseXml(text, input);
}
