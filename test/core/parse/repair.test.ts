// Breakage real feeds ship with: each must still parse, and CDATA must come through untouched.
import { describe, expect, it } from 'vitest';
import { FetchError } from '../../../src/core/fetch/index.js';
import { parseFeed } from '../../../src/core/parse/index.js';
import { tidyXml } from '../../../src/core/parse/repair.js';

const url = 'https://example.com/feed.xml';
const parse = (xml: string) => parseFeed({ body: Buffer.from(xml), contentType: 'application/rss+xml', url });
const wrap = (items: string) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>https://example.com/</link>${items}</channel></rss>`;

describe('XML repair', () => {
  it('escapes a bare & instead of rejecting the feed', async () => {
    const f = await parse(wrap('<item><title>Tom & Jerry</title><link>https://example.com/?a=1&b=2</link></item><item><title>OK</title></item>'));
    expect(f.items.map((i) => i.title)).toEqual(['Tom & Jerry', 'OK']);
    expect(f.items[0]!.link).toBe('https://example.com/?a=1&b=2');
  });

  it('keeps CDATA sections and valid references as they are', async () => {
    const f = await parse(wrap('<item><title>&amp; &#38; &#x26; &lt; &<!-- x & y --></title><guid isPermaLink="false"><![CDATA[a & b &nbsp;]]></guid></item>'));
    expect(f.items[0]!.title).toBe('& & & < &');
    expect(f.items[0]!.id).toBe('g:a & b &nbsp;'); // identify prefixes guids with g:
  });

  it('turns HTML named entities into numeric ones and escapes unknown names', async () => {
    const f = await parse(wrap('<item><title>a&nbsp;b &bogus; c&hellip;</title></item>'));
    expect(f.items[0]!.title).toBe('a b &bogus; c…');
  });

  it('drops control characters XML forbids', async () => {
    const f = await parse(wrap('<item><title>bad\u0001 \u000bchars\u001f</title></item>'));
    expect(f.items[0]!.title).toBe('bad chars');
  });

  it('skips junk before the XML declaration and fixes the declared encoding', async () => {
    const f = await parse(`\n\n  Warning: something in /var/www/feed.php on line 3\n${wrap('<item><title>x</title></item>')}`);
    expect(f.items[0]!.title).toBe('x');
    expect(tidyXml('\n<?xml version="1.0" encoding="windows-1251"?><rss/>')).toBe('<?xml version="1.0" encoding="UTF-8"?><rss/>');
  });

  it('survives an unclosed tag through the lenient pass', async () => {
    const f = await parse(wrap('<item><title>one</title><description>a <br> b</description><link>https://example.com/1</link></item>'));
    expect(f.items[0]!.title).toBe('one');
    expect(f.items[0]!.link).toBe('https://example.com/1');
  });

  it('says "not a feed" for HTML and other documents, "parse" for hopeless XML', async () => {
    const html = parseFeed({ body: Buffer.from('<!DOCTYPE html><html><head><title>x</title></head></html>'), contentType: 'text/html', url });
    await expect(html).rejects.toMatchObject({ kind: 'not-a-feed' });
    await expect(parseFeed({ body: Buffer.from('<?xml version="1.0"?><opml/>'), url })).rejects.toMatchObject({ kind: 'not-a-feed' });
    await expect(parseFeed({ body: Buffer.from('{"hello": 1}'), url })).rejects.toMatchObject({ kind: 'not-a-feed' });
    await expect(parseFeed({ body: Buffer.from('plain words'), url })).rejects.toBeInstanceOf(FetchError);
    await expect(parse('<rss version="2.0"><channel><title>x</ti')).rejects.toMatchObject({ kind: 'parse' });
  });
});
