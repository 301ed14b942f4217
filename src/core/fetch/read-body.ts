// Streams a response body into memory, stopping at maxBytes (before and after decompression)
// so a huge or endless feed costs at most maxBytes and is cut off as soon as it crosses it.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { header, type Headers } from './cache-hints.js';
import { FetchError } from './errors.js';

type Body = Dispatcher.ResponseData['body'];

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

function tooLarge(maxBytes: number): FetchError {
  return new FetchError('too-large', `the feed is larger than ${maxBytes} bytes`);
}

async function decompress(raw: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  // maxOutputLength makes zlib stop at the cap: a 10 KB zip bomb cannot expand to gigabytes.
  const opts = { maxOutputLength: maxBytes + 1 };
  try {
    let out: Buffer;
    if (encoding === 'gzip' || encoding === 'x-gzip') out = await gunzip(raw, opts);
    // "deflate" should be zlib-wrapped; some servers send raw deflate. 0x78 starts a zlib header.
    else if (encoding === 'deflate') out = raw[0] === 0x78 ? await inflate(raw, opts) : await inflateRaw(raw, opts);
    else if (encoding === 'br') out = await brotli(raw, { maxOutputLength: maxBytes + 1 });
    else return raw;
    if (out.length > maxBytes) throw tooLarge(maxBytes);
    return out;
  } catch (err) {
    if (err instanceof FetchError) throw err;
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new FetchError('parse', `the response could not be decompressed (${encoding})`);
  }
}

export async function readCapped(body: Body, headers: Headers, maxBytes: number): Promise<Buffer> {
  const encoding = (header(headers, 'content-encoding') ?? '').trim().toLowerCase();
  const declared = Number(header(headers, 'content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      // Destroying the stream closes the socket: the rest of the body is never downloaded.
      body.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  return encoding && encoding !== 'identity' ? decompress(raw, encoding, maxBytes) : raw;
}

/** Discards a body we do not need, keeping the connection reusable when it is small. */
export async function discard(body: Body): Promise<void> {
  try {
    await body.dump({ limit: 64 * 1024 });
  } catch {
    // The socket is gone either way; nothing to report for a body we did not want.
  }
}
