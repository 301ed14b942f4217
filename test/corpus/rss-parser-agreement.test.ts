// Differential test: rss-parser, the parser Herald used to run on and still the benchmark's
// baseline, is the reference for Herald's own XML parse stage. For every XML feed of the
// shared corpus that rss-parser accepts, both must find the same items with the same link,
// guid/id and title text. Where they legitimately differ, the exception is listed below with
// its reason, and must still differ, so the list cannot go stale unseen.
import { readFileSync } from 'node:fs';
import Parser from 'rss-parser';
import { expect, it } from 'vitest';
import { decodeBody } from '../../src/core/parse/decode.js';
import { parseFeed } from '../../src/core/parse/index.js';
import { CORPUS, corpusManifest, describeCorpus } from './shared-corpus.js';

type Field = 'title' | 'link';
interface Exception {
  field: Field;
  /** Document indexes of the items that differ, or 'any' (at least one does). */
  items: number[] | 'any';
  why: string;
}

/** Feeds rss-parser refuses, so there is nothing to compare (it must still refuse them). */
const REJECTED: Record<string, string> = {
  'feeds/uol-noticias-no-prolog.rss': 'root <rss> without a version attribute: rss-parser says "not recognized as RSS 1 or 2"',
};

const DIFFERS: Record<string, Exception[]> = {
  'feeds/engadget-2011.rss': [{ field: 'title', items: [10], why: '"&amp;" double-escaped inside CDATA: Herald reads RSS titles as HTML and decodes it, rss-parser keeps it' }],
  'feeds/livemint.rss': [{ field: 'title', items: [17], why: "escaped markup in a title (<span class='webrupee'>₹</span>): Herald renders it to text, rss-parser keeps the tags" }],
  'feeds/google-alerts-html-titles.atom': [{ field: 'title', items: 'any', why: 'type="html" titles with <b> markup: Herald renders them to text, rss-parser keeps the tags' }],
  'feeds/onefoottsunami-xmlbase.atom': [{ field: 'title', items: [6, 7, 12, 19], why: 'type="html" titles escape &#8217; twice (XML, then HTML): rss-parser undoes only the XML level' }],
  'feeds/samruby-relative-links.atom': [{ field: 'link', items: 'any', why: "relative entry links: Herald resolves them against the feed's own URL, rss-parser returns them as written" }],
};

const text = (v: unknown) => (typeof v === 'string' ? v : '').replace(/\s+/g, ' ').trim();
/** Herald stores WHATWG-serialised URLs ('https://tilepieces.net' → '…net/'), so both sides are compared that way. */
const url = (v: unknown) => {
  const s = text(v);
  return URL.canParse(s) ? new URL(s).href : s;
};

/** rss-parser's items with later repeats of a guid (else link) dropped, as Herald's identify stage does (scriptingnews repeats two). */
function distinct(items: (Parser.Item & { id?: string })[]) {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = text(i.guid ?? i.id) || text(i.link);
    if (!key) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const xmlFeeds = corpusManifest().filter((e) => e.format !== 'json'); // rss-parser reads no JSON Feed

describeCorpus('Herald and rss-parser agree on the corpus', () => {
  const parser = new Parser();

  it('compares nearly every XML feed', () => expect(xmlFeeds.length - Object.keys(REJECTED).length).toBeGreaterThanOrEqual(30));

  it.each(xmlFeeds.map((e) => [e.file, e] as const))('%s', async (file, e) => {
    const body = readFileSync(CORPUS + file);
    const herald = await parseFeed({ body, url: `http://127.0.0.1/${file}`, contentType: e.contentType });
    // rss-parser takes a string: it gets the text Herald decoded, so only the parsing is compared.
    const reference = parser.parseString(decodeBody(body, e.contentType).text);
    if (REJECTED[file]) return void (await expect(reference).rejects.toThrow());
    const theirs = distinct((await reference).items);
    expect(herald.items.length, 'number of items').toBe(theirs.length);

    const differences: { field: Field; index: number; herald: string; rssParser: string }[] = [];
    theirs.forEach((r, index) => {
      const h = herald.items[index]!;
      const guid = text(r.guid ?? (r as { id?: string }).id);
      if (guid) expect(h.id, `guid/id of item ${index}`).toBe(`g:${guid}`);
      if (url(h.link) !== url(r.link)) differences.push({ field: 'link', index, herald: url(h.link), rssParser: url(r.link) });
      if (text(h.title) !== text(r.title)) differences.push({ field: 'title', index, herald: text(h.title), rssParser: text(r.title) });
    });
    const exceptions = DIFFERS[file] ?? [];
    const excused = (d: (typeof differences)[number]) => exceptions.some((x) => x.field === d.field && (x.items === 'any' || x.items.includes(d.index)));
    expect(differences.filter((d) => !excused(d))).toEqual([]);
    for (const x of exceptions) {
      const hit = differences.filter((d) => d.field === x.field).map((d) => d.index);
      expect(x.items === 'any' ? hit.length > 0 : x.items.every((i) => hit.includes(i)), `a listed exception no longer differs (remove it): ${x.why}`).toBe(true);
    }
  });
});
