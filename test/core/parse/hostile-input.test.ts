// Part 8 item 1: every place that used a lazy or overlapping regex on feed text, fed its worst
// case at about 1 MB. The old code was quadratic there (764 ms at 110 KB for a title of
// "&lt;!--", about a minute at 1 MB); linear code does each in a few hundred ms (3 s allowed).
import { describe, expect, it } from 'vitest';
import { discoverFeeds } from '../../../src/core/parse/discover.js';
import { firstImageIn } from '../../../src/core/parse/images.js';
import { parseFeed } from '../../../src/core/parse/index.js';
import { tidyXml } from '../../../src/core/parse/repair.js';
import { rootElement, sniff } from '../../../src/core/parse/sniff.js';
import { htmlToText, looksLikeHtml } from '../../../src/core/parse/text.js';
import { renderItem } from '../../../src/core/render/index.js';
import { cpuTimed, cpuTimedAsync } from '../../support/cpu-time.js';

const url = 'https://example.com/feed';
const MB = 1_000_000;
const fill = (unit: string, size = MB) => unit.repeat(Math.ceil(size / unit.length));
// CPU milliseconds (see cpu-time.ts), so a loaded machine does not stretch them; generous
// all the same: quadratic code needs tens of seconds to minutes here.
const LIMIT_MS = 3000;

function timed<T>(fn: () => T): T {
  const { value, ms } = cpuTimed(fn);
  expect(ms).toBeLessThan(LIMIT_MS);
  return value;
}

async function timedParse(doc: string) {
  const { value, ms } = await cpuTimedAsync(async () => {
    const feed = await parseFeed({ body: Buffer.from(doc), url, contentType: 'application/rss+xml' });
    return { feed, models: feed.items.map((i) => renderItem(i, { title: feed.title, url })) };
  });
  expect(ms).toBeLessThan(LIMIT_MS);
  return value;
}

/** For documents that may be refused (an unclosed CDATA swallows the rest): fast either way. */
async function timedParseOrRefuse(doc: string) {
  const { ms } = await cpuTimedAsync(() =>
    parseFeed({ body: Buffer.from(doc), url, contentType: 'application/rss+xml' }).then(
      (feed) => void feed.items.map((i) => renderItem(i, { title: feed.title, url })),
      (err: unknown) => void expect(err).toMatchObject({ kind: 'parse' }),
    ),
  );
  expect(ms).toBeLessThan(LIMIT_MS);
}

const rss = (item: string) => `<rss version="2.0"><channel><title>T</title><item>${item}</item><item><title>plain</title><link>https://example.com/p</link></item></channel></rss>`;

describe('no quadratic work on feed text', () => {
  it('text.ts: a title and description of "&lt;!--" repeated (110 KB and 1 MB)', async () => {
    for (const size of [110_000, MB]) {
      const { feed, models } = await timedParse(rss(`<title>${fill('&lt;!--', size)}</title><description>${fill('&lt;!--', size)}</description>`));
      expect(feed.items[1]!.title).toBe('plain');
      expect(models[0]!.title.startsWith('<!--<!--')).toBe(true); // literal text, kept as characters
    }
    timed(() => htmlToText(fill('<!--')));
    timed(() => looksLikeHtml(fill('</a&amp')));
  });

  it('repair.ts and the tree builder: unclosed CDATA sections and comments among bare ampersands', async () => {
    for (const unit of ['<![CDATA[ & ', '<!-- & ', '&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      timed(() => tidyXml(`<a>${fill(unit)}</a>\u0001`));
      await timedParseOrRefuse(rss(`<title>x</title><description>${fill(unit)}</description>`));
    }
  });

  it('images.ts: "<img " without src or ">" repeated', async () => {
    timed(() => firstImageIn(fill('<img a=1 '), url));
    timed(() => firstImageIn(fill('<img src'), url));
    await timedParse(rss(`<title>x</title><description><![CDATA[${fill('<img a=1 ')}]]></description>`));
  });

  it('discover.ts: unclosed comments and scripts, and a <link> with endless attributes', () => {
    for (const unit of ['<!--', '<script>', '<link a=1 ', '<link rel="alternate" type="application/rss+xml" href="/f" ']) {
      timed(() => discoverFeeds(`<html><head>${fill(unit)}</head></html>`, url));
    }
    expect(discoverFeeds('<!-- <link rel="alternate" type="application/rss+xml" href="/no"> --><script>"<link rel=alternate type=application/rss+xml href=/no2>"</script><link rel="alternate" type="application/rss+xml" href="/yes" title="A &amp; B">', url)).toEqual([
      { url: 'https://example.com/yes', type: 'application/rss+xml', title: 'A & B' },
    ]);
  });

  it('sniff.ts: repeated comment, PI and DOCTYPE openers before the root', () => {
    for (const unit of ['<!--', '<?', '<!DOCTYPE [', '<!x']) {
      timed(() => sniff(`${fill(unit, 65_536)}<rss>`, 'application/xml'));
    }
    expect(rootElement('<?xml version="1.0"?><!-- <html> --><!DOCTYPE rss [<!ENTITY a "b">]><rss version="2.0">')).toBe('rss');
    expect(sniff('<x:rss xmlns:x="urn:x"><x:channel/></x:rss>', undefined)).toEqual({ kind: 'xml-feed', root: 'x:rss' });
  });

  it('xml-tree.ts: mismatched end tags, deep nesting and an element flood', async () => {
    await timedParse(rss(`<title>x</title><description>${fill('<a>', MB / 2)}${fill('</b>', MB / 2)}</description>`));
    // Never closed: the document ends inside <rss>, refused as not well-formed, quickly.
    await timedParseOrRefuse(rss(`<title>${fill('<b>', MB)}</title>`));
    // Closed, 300,000 deep: only that title is dropped.
    const deep = await timedParse(rss(`<title>${fill('<b>', 900_000)}${fill('</b>', 1_200_000)}</title>`));
    expect(deep.feed.items.map((i) => i.title)).toEqual(['', 'plain']);
    // An unclosed <br> deep inside a too-deep body still ends with the body.
    const br = await timedParse(rss(`<title>ok</title><description>${'<div>'.repeat(150)}<br>x${'</div>'.repeat(150)}</description>`));
    expect(br.feed.items.map((i) => i.title)).toEqual(['ok', 'plain']);
    const { feed } = await timedParse(rss(`<title>x</title><description>${fill('<a/>', MB)}</description>`));
    expect(feed.items[1]!.title).toBe('plain');
  });
});
