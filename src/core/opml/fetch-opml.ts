// Downloads an OPML file (a Discord attachment or a URL) through the core fetcher,
// so the same address guard, timeouts and size limits apply as for feeds.
import { untrusted } from '../../domain/reply-text.js';
import iconv from 'iconv-lite';
import { UserError } from '../../domain/errors.js';
import { FetchError, type Fetcher } from '../fetch/index.js';

/** Feed lists are small; a bigger file is more likely a mistake (or abuse). */
export const OPML_MAX_BYTES = 1_000_000;

/** Decodes by BOM or the XML declaration's encoding; UTF-8 otherwise. */
export function decodeXml(body: Buffer): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return body.subarray(3).toString('utf8');
  if ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff)) return iconv.decode(body, body[0] === 0xff ? 'utf-16le' : 'utf-16be');
  const declared = /^<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']/.exec(body.subarray(0, 200).toString('latin1'))?.[1];
  if (declared && !/^utf-?8$/i.test(declared) && iconv.encodingExists(declared)) return iconv.decode(body, declared);
  return body.toString('utf8');
}

export async function fetchOpml(fetcher: Fetcher, url: string, declaredSize?: number): Promise<string> {
  const tooBig = `The OPML file is larger than ${OPML_MAX_BYTES / 1_000_000} MB. Split it, or subscribe to the feeds one by one.`;
  if (declaredSize !== undefined && declaredSize > OPML_MAX_BYTES) throw new UserError(tooBig);
  let parsed: URL;
  try {
    parsed = new URL(url.trim().replace(/^<|>$/g, ''));
  } catch {
    throw new UserError(`"${url}" is not a URL. Give the full address of the OPML file, e.g. https://example.com/feeds.opml`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UserError('Only http:// and https:// addresses can be imported.');
  try {
    const res = await fetcher.fetch({ url: parsed.toString() });
    if (res.status !== 'ok') throw new UserError('The server answered "not modified" without sending the file. Try again.');
    if (res.body.length > OPML_MAX_BYTES) throw new UserError(tooBig);
    return decodeXml(res.body);
  } catch (err) {
    if (err instanceof FetchError) {
      if (err.kind === 'too-large') throw new UserError(tooBig);
      throw new UserError(`Could not download the OPML file from ${untrusted(parsed.host)}: ${untrusted(err.message)}. Check the address and try again.`);
    }
    throw err;
  }
}
