// The parse stage: bytes → ParsedFeed. Decode (BOM, HTTP charset, prolog), drop leading junk
// and forbidden control characters, then the forgiving XML tree of xml-tree.ts (htmlparser2's
// tokenizer) and Herald's mapping, or our own mapping for JSON Feed.
import { FetchError } from '../fetch/errors.js';
import type { ParsedFeed } from '../../domain/types.js';
import { decodeBody } from './decode.js';
import { parseJsonFeed } from './json-feed.js';
import { tidyXml } from './repair.js';
import { sniff } from './sniff.js';
import { parseXmlFeed } from './xml-feed.js';

export interface ParseInput {
  body: Buffer;
  contentType?: string;
  /** Final URL of the document, used to resolve relative links. */
  url: string;
}

export async function parseFeed(input: ParseInput): Promise<ParsedFeed> {
  const { text } = decodeBody(input.body, input.contentType);
  const doc = sniff(text, input.contentType);
  switch (doc.kind) {
    case 'json':
      return parseJsonFeed(text, input.url);
    case 'xml-feed':
      return parseXmlFeed(tidyXml(text), doc.root, input.url);
    case 'html':
      throw new FetchError('not-a-feed', 'the address serves an HTML page, not a feed');
    default:
      throw new FetchError('not-a-feed', `the address serves ${doc.what}, not an RSS, Atom or JSON feed`);
  }
}
