// Fetch + parse once, outside the schedule: for /subscribe, /feeds preview and the CLI.
import { untrusted } from '../domain/reply-text.js';
import { UserError } from '../domain/errors.js';
import { FetchError, type Fetcher, type FetchResult } from './fetch/index.js';
import { decodeBody } from './parse/decode.js';
import { COMMON_FEED_PATHS, discoverFeeds } from './parse/discover.js';
import { parseFeed } from './parse/index.js';
import { sniff } from './parse/sniff.js';
import type { ParsedFeed } from '../domain/types.js';

export interface ProbeResult {
  /** The feed's URL (after autodiscovery or redirects, the one to subscribe to). */
  url: string;
  parsed: ParsedFeed;
  etag?: string;
  lastModified?: string;
  /** Things worth telling the user, e.g. "found 2 feeds on that page, using the first". */
  notes: string[];
}

/** Checks the text is an http(s) URL; throws a UserError that says what is wrong. */
export function normalizeFeedUrl(input: string): string {
  const text = input.trim().replace(/^<|>$/g, '');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`"${input}" is not a URL. Give the full feed address, e.g. https://example.com/feed.xml`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`Only http:// and https:// feeds are supported, not ${url.protocol}//`);
  }
  if (url.username || url.password) throw new UserError('Feed URLs with a user name or password are not accepted.');
  url.hash = '';
  return url.toString();
}

export function describeFetchError(err: FetchError, url: string): string {
  const host = untrusted(
    (() => {
      try {
        return new URL(url).host;
      } catch {
        return url;
      }
    })(),
  );
  // The URL may come from a page and the message may quote the server: both untrusted.
  const why = untrusted(err.message);
  const shown = untrusted(url);
  switch (err.kind) {
    case 'dns':
      return `Host not found: ${host}. Check the spelling of the address.`;
    case 'http': {
      // The fetcher's message is often just "the server answered HTTP 404": say it once.
      const status = err.extra.status;
      const detail = status !== undefined && err.message === `the server answered HTTP ${status}` ? '' : `: ${why}`;
      return `${host} answered HTTP${status !== undefined ? ` ${status}` : ''}${detail}. Check that the address is a feed.`;
    }
    case 'not-a-feed':
      return `${shown} is not an RSS, Atom or JSON feed: ${why}.`;
    case 'parse':
      return `The feed at ${shown} could not be read: ${why}.`;
    case 'too-large':
      return `The feed at ${shown} is too large: ${why}.`;
    case 'timeout':
      return `${host} did not answer in time. Try again later.`;
    case 'blocked-address':
      return `Refused: ${why}. Herald does not fetch private or local addresses.`;
    case 'bad-url':
      return `Refused: ${why}.`;
    case 'tls':
      return `Could not set up a secure connection to ${host}: ${why}.`;
    default:
      return `Could not fetch ${shown}: ${why}.`;
  }
}

interface Found {
  url: string;
  res: Extract<FetchResult, { status: 'ok' }>;
  parsed: ParsedFeed;
}

/** Fetches and parses one URL; FetchErrors (including not-a-feed) propagate. */
async function fetchFeed(fetcher: Fetcher, url: string): Promise<Found> {
  const res = await fetcher.fetch({ url });
  if (res.status !== 'ok') throw new FetchError('http', 'unexpected 304 without validators', { status: 304 });
  const parsed = await parseFeed({ body: res.body, url: res.url, ...(res.contentType ? { contentType: res.contentType } : {}) });
  return { url: res.permanentRedirect ?? url, res, parsed };
}

/** The first candidate that is a feed (and its position), or the first candidate's error when none is. */
async function firstFeed(fetcher: Fetcher, urls: string[]): Promise<(Found & { index: number }) | FetchError> {
  let firstError: FetchError | undefined;
  for (const [index, url] of urls.entries()) {
    try {
      return { ...(await fetchFeed(fetcher, url)), index };
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      firstError ??= err;
    }
  }
  return firstError ?? new FetchError('not-a-feed', 'no candidates');
}

/**
 * A page may list hundreds of feed links; fetching them all would let one /subscribe make
 * Herald hit hundreds of URLs. Only the first few are tried; the rest are named, not fetched.
 */
export const MAX_PROBED_LINKS = 3;
/** How many of the untried links a reply names before "and N more". */
const MAX_NAMED_LINKS = 10;

/** A discovered feed for a reply: its title and URL come from the page, so they are untrusted. */
function describeFeed(f: { url: string; title?: string }): string {
  return f.title ? `"${untrusted(f.title)}" (${untrusted(f.url)})` : untrusted(f.url);
}

function nameList(list: { url: string; title?: string }[]): string {
  const named = list.slice(0, MAX_NAMED_LINKS).map(describeFeed).join(', ');
  return list.length > MAX_NAMED_LINKS ? `${named} and ${list.length - MAX_NAMED_LINKS} more` : named;
}

/**
 * The page was HTML: the first MAX_PROBED_LINKS of its <link rel="alternate"> feeds, else
 * the usual paths on the same origin. At most 6 fetches, however many links it lists.
 */
async function discover(fetcher: Fetcher, page: string, html: string): Promise<{ found: Found; notes: string[] }> {
  const links = discoverFeeds(html, page);
  if (links.length) {
    const probed = links.slice(0, MAX_PROBED_LINKS);
    const untried = links.slice(MAX_PROBED_LINKS);
    const result = await firstFeed(fetcher, probed.map((l) => l.url));
    if (result instanceof FetchError) {
      const more = untried.length ? ` Herald tried only the first ${probed.length} of the ${links.length} feeds it lists; the others: ${nameList(untried)}.` : '';
      throw new UserError(`${page} lists a feed at ${untrusted(links[0]!.url)}, but: ${describeFetchError(result, links[0]!.url)}${more}`, { cause: result });
    }
    const chosen = probed[result.index]!;
    const others = links.filter((l) => l !== chosen);
    const notes = others.length
      ? [`Found ${links.length} feeds on that page; using ${describeFeed(chosen)}. The others: ${nameList(others)}.`]
      : [`That is a web page; using the feed it links to: ${describeFeed(chosen)}.`];
    if (untried.length) notes.push(`Herald checked only the first ${MAX_PROBED_LINKS}; to use another, /subscribe to its own address.`);
    return { found: result, notes };
  }
  const origin = new URL(page).origin;
  const guesses = COMMON_FEED_PATHS.map((p) => origin + p).filter((u) => u !== page);
  const result = await firstFeed(fetcher, guesses);
  if (result instanceof FetchError) {
    throw new UserError(
      `${page} is a web page that announces no feed (no <link rel="alternate"> for RSS, Atom or JSON Feed), and none of ${COMMON_FEED_PATHS.join(', ')} on ${new URL(page).host} is a feed either. Give the feed's own address.`,
    );
  }
  return { found: result, notes: [`That page announces no feed; found one at ${untrusted(result.url)}.`] };
}

export async function probeFeed(fetcher: Fetcher, input: string): Promise<ProbeResult> {
  const url = normalizeFeedUrl(input);
  let found: Found;
  let notes: string[] = [];
  try {
    // Literal private addresses are refused here, before any connection is opened.
    const res = await fetcher.fetch({ url });
    if (res.status !== 'ok') throw new FetchError('http', 'unexpected 304 without validators', { status: 304 });
    try {
      const parsed = await parseFeed({ body: res.body, url: res.url, ...(res.contentType ? { contentType: res.contentType } : {}) });
      found = { url: res.permanentRedirect ?? url, res, parsed };
    } catch (err) {
      if (!(err instanceof FetchError) || err.kind !== 'not-a-feed') throw err;
      const page = decodeBody(res.body, res.contentType).text;
      if (sniff(page, res.contentType).kind !== 'html') throw err;
      ({ found, notes } = await discover(fetcher, res.url, page));
    }
  } catch (err) {
    if (err instanceof FetchError) throw new UserError(describeFetchError(err, url), { cause: err });
    throw err;
  }
  const out: ProbeResult = { url: found.url, parsed: found.parsed, notes };
  if (found.res.etag) out.etag = found.res.etag;
  if (found.res.lastModified) out.lastModified = found.res.lastModified;
  return out;
}
