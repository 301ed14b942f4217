// Encoding detection order (BOM, HTTP charset, XML prolog) and the legacy encodings real feeds use.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody, normalizeCharset } from '../../../src/core/parse/decode.js';
import { parseFeed } from '../../../src/core/parse/index.js';

const rss = (title: string, encoding?: string) =>
  `${encoding ? `<?xml version="1.0" encoding="${encoding}"?>` : ''}<rss version="2.0"><channel><title>${title}</title><item><title>${title}</title><link>https://example.com/1</link></item></channel></rss>`;

describe('decodeBody', () => {
  it('a BOM wins over everything', () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss('Grüße', 'iso-8859-1'))]);
    expect(decodeBody(utf8, 'text/xml; charset=windows-1251')).toMatchObject({ encoding: 'utf-8', source: 'bom' });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(rss('Ωmega'), 'utf-16le')]);
    expect(decodeBody(le).text).toContain('<title>Ωmega</title>');
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(rss('Ωmega'), 'utf-16be')]);
    expect(decodeBody(be)).toMatchObject({ encoding: 'utf-16be', source: 'bom' });
  });

  it('the HTTP charset comes before the prolog', () => {
    const body = iconv.encode(rss('Привет', 'utf-8'), 'windows-1251');
    const d = decodeBody(body, 'application/rss+xml; charset="windows-1251"');
    expect(d).toMatchObject({ encoding: 'windows-1251', source: 'http' });
    expect(d.text).toContain('Привет');
  });

  it('uses the prolog when HTTP says nothing', () => {
    const d = decodeBody(iconv.encode(rss('Привет', 'windows-1251'), 'windows-1251'), 'application/xml');
    expect(d).toMatchObject({ encoding: 'windows-1251', source: 'prolog' });
    expect(d.text).toContain('Привет');
  });

  it('reads iso-8859-1, latin1 and us-ascii as windows-1252 (curly quotes in 0x80–0x9F)', () => {
    const bytes = Buffer.from([...Buffer.from('<rss version="2.0"><channel><title>'), 0x93, 0x71, 0x94, 0xe9, ...Buffer.from('</title></channel></rss>')]);
    for (const label of ['iso-8859-1', 'ISO_8859-1', 'latin1', 'us-ascii']) {
      expect(decodeBody(bytes, `text/xml; charset=${label}`).text, label).toContain('“q”é');
    }
    expect(normalizeCharset('gb2312')).toBe('gb18030');
    expect(normalizeCharset('no-such-charset')).toBeUndefined();
  });

  it('decodes gb2312 as GB18030', () => {
    const d = decodeBody(iconv.encode(rss('建国35周年纪念★', 'gb2312'), 'gb18030'));
    expect(d.text).toContain('建国35周年纪念★');
  });

  it('falls back when declared UTF-8 is not UTF-8', () => {
    const latin = Buffer.from(rss('café'), 'latin1');
    expect(decodeBody(latin, 'text/xml; charset=utf-8')).toMatchObject({ encoding: 'windows-1252', source: 'fallback' });
    expect(decodeBody(latin, 'text/xml; charset=utf-8').text).toContain('café');
    // UTF-16 without a BOM is recognised from "<?" in two-byte units.
    const u16 = iconv.encode(rss('Ωmega', 'UTF-16'), 'utf-16le');
    expect(decodeBody(u16).text).toContain('Ωmega');
  });

  it('parseFeed gets the right text whichever source names the encoding', async () => {
    const body = iconv.encode(rss('Reações', 'ISO-8859-1'), 'latin1');
    const viaProlog = await parseFeed({ body, url: 'https://example.com/feed' });
    expect(viaProlog.items[0]!.title).toBe('Reações');
    const undeclared = iconv.encode(rss('Reações'), 'latin1');
    const viaHttp = await parseFeed({ body: undeclared, contentType: 'application/rss+xml; charset=iso-8859-1', url: 'https://example.com/feed' });
    expect(viaHttp.items[0]!.title).toBe('Reações');
  });
});
