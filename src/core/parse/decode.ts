// Bytes → string. The encoding comes from the BOM, then the HTTP charset, then the XML prolog
// (RFC 7303 order). iconv-lite does the decoding: Node 20's TextDecoder gets windows-1252 wrong.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export interface Decoded {
  text: string;
  /** The encoding actually used, e.g. "utf-8", "windows-1252", "gb18030". */
  encoding: string;
  source: 'bom' | 'http' | 'prolog' | 'default' | 'fallback';
}

// WHATWG treats these labels as windows-1252, and so do browsers: real "latin1" feeds often
// contain curly quotes in 0x80–0x9F, which are control characters in true ISO-8859-1.
const ALIASES: Record<string, string> = {
  'iso-8859-1': 'windows-1252',
  iso8859_1: 'windows-1252',
  'iso_8859-1': 'windows-1252',
  'iso-ir-100': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  cp819: 'windows-1252',
  ibm819: 'windows-1252',
  cp1252: 'windows-1252',
  // GB18030 is a superset: publishers who say gb2312 routinely use GBK characters.
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  'gb_2312-80': 'gb18030',
  csgb2312: 'gb18030',
  chinese: 'gb18030',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'x-sjis': 'shift_jis',
};

/** A canonical, iconv-supported encoding name, or undefined if the label is unknown. */
export function normalizeCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const name = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!name) return undefined;
  const mapped = ALIASES[name] ?? name;
  return iconv.encodingExists(mapped) ? mapped : undefined;
}

function bomEncoding(body: Buffer): { encoding: string; length: number } | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (body[0] === 0xff && body[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (body[0] === 0xfe && body[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

export function httpCharset(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return m?.[2];
}

/** The encoding="…" of an XML prolog, read from the ASCII-compatible first bytes. */
export function prologCharset(body: Buffer): string | undefined {
  // UTF-16 without a BOM still starts "<?" in two-byte units.
  if (body[0] === 0x3c && body[1] === 0x00 && body[2] === 0x3f && body[3] === 0x00) return 'utf-16le';
  if (body[0] === 0x00 && body[1] === 0x3c && body[2] === 0x00 && body[3] === 0x3f) return 'utf-16be';
  const head = body.subarray(0, 1024).toString('latin1');
  // indexOf, not a lazy regex: the prolog is feed text like the rest.
  const start = head.indexOf('<?xml');
  const end = head.indexOf('?>', start);
  if (start < 0 || end < 0) return undefined;
  const prolog = head.slice(start, end).toLowerCase();
  const at = prolog.indexOf('encoding');
  if (at < 0) return undefined;
  const m = /^\s*=\s*["']([a-z0-9._:-]{1,40})["']/.exec(prolog.slice(at + 8, at + 80));
  return m?.[1];
}

class NotUtf8 extends Error {}

function decodeWith(body: Buffer, encoding: string): string {
  if (encoding === 'utf-8') {
    // isUtf8 is a SIMD scan; far cheaper than a fatal TextDecoder on big feeds.
    if (!isUtf8(body)) throw new NotUtf8();
    return body.toString('utf8');
  }
  return iconv.decode(body, encoding, { stripBOM: true });
}

export function decodeBody(body: Buffer, contentType?: string): Decoded {
  const bom = bomEncoding(body);
  if (bom) return { text: iconv.decode(body.subarray(bom.length), bom.encoding), encoding: bom.encoding, source: 'bom' };
  const candidates: { encoding: string | undefined; source: Decoded['source'] }[] = [
    { encoding: normalizeCharset(httpCharset(contentType)), source: 'http' },
    { encoding: normalizeCharset(prologCharset(body)), source: 'prolog' },
    { encoding: 'utf-8', source: 'default' },
  ];
  for (const c of candidates) {
    if (!c.encoding) continue;
    try {
      return { text: decodeWith(body, c.encoding), encoding: c.encoding, source: c.source };
    } catch {
      // Declared UTF-8 but not valid UTF-8 (a common lie): try the next declaration.
    }
  }
  // Nothing declared fits: windows-1252 decodes any byte and is the likeliest truth on the web.
  return { text: iconv.decode(body, 'windows-1252'), encoding: 'windows-1252', source: 'fallback' };
}
