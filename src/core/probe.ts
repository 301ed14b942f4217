// Fetch + parse once, outside the schedule: for /subscribe, /feeds preview and the CLI.
import { UserError } from './errors.js';
import { FetchError, type Fetcher } from './fetch/index.js';
import { parseFeed } from './parse/index.js';
import type { ParsedFeed } from './types.js';

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
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  switch (err.kind) {
    case 'dns':
      return `Host not found: ${host}. Check the spelling of the address.`;
    case 'http':
      return `${host} answered HTTP ${err.extra.status ?? ''}: ${err.message}. Check that the address is a feed.`.replace(/\s+:/, ':');
    case 'not-a-feed':
      return `${url} is not an RSS, Atom or JSON feed: ${err.message}.`;
    case 'parse':
      return `The feed at ${url} could not be read: ${err.message}.`;
    case 'too-large':
      return `The feed at ${url} is too large: ${err.message}.`;
    case 'timeout':
      return `${host} did not answer in time. Try again later.`;
    case 'blocked-address':
      return `Refused: ${err.message}. Herald does not fetch private or local addresses.`;
    default:
      return `Could not fetch ${url}: ${err.message}.`;
  }
}

export async function probeFeed(fetcher: Fetcher, input: string): Promise<ProbeResult> {
  const url = normalizeFeedUrl(input);
  try {
    const res = await fetcher.fetch({ url });
    if (res.status !== 'ok') throw new FetchError('http', 'unexpected 304 without validators', { status: 304 });
    const parsed = await parseFeed({ body: res.body, url: res.url, ...(res.contentType ? { contentType: res.contentType } : {}) });
    const out: ProbeResult = { url: res.permanentRedirect ?? url, parsed, notes: [] };
    if (res.etag) out.etag = res.etag;
    if (res.lastModified) out.lastModified = res.lastModified;
    return out;
  } catch (err) {
    if (err instanceof FetchError) throw new UserError(describeFetchError(err, url));
    throw err;
  }
}
