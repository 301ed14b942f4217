// Part 8 "Done when": random and mutated feed documents, up to 2 MB, through parse and render.
// Each must finish within a fixed time per KB, and nothing may throw past the feed boundary:
// parseFeed either returns a feed or rejects with a FetchError (which the poller records on
// the feed); renderItem never throws. A seeded generator keeps failures reproducible.
import { describe, expect, it } from 'vitest';
import { FetchError } from '../../../src/core/fetch/errors.js';
import { parseFeed } from '../../../src/core/parse/index.js';
import { renderItem } from '../../../src/core/render/index.js';
import { toDiscordMessage } from '../../../src/platforms/discord/render.js';
import { toSlackMessage } from '../../../src/platforms/slack/render.js';
import { cpuTimedAsync } from '../../support/cpu-time.js';

const MS_PER_KB = 5;
/** Fixed allowance per document (cold JIT on the first ones, a loaded shared machine). */
const BASE_MS = 500;
const url = 'https://fuzz.example/feed';

/** mulberry32: small, fast, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Fuzz &amp; co</title><link>https://fuzz.example/</link><item><title>One &lt;b&gt;bold&lt;/b&gt;</title><link>https://fuzz.example/1</link><guid>1</guid><pubDate>Tue, 01 Mar 2011 17:30:00 EDT</pubDate><description>&lt;p&gt;Hi &lt;img src="https://i.example/a.png"&gt;&lt;/p&gt;</description><content:encoded><![CDATA[<p>Full <a href="/x">text</a> &infin;</p><script>x()</script>]]></content:encoded><dc:creator>Ann</dc:creator><category>a</category><media:thumbnail url="https://i.example/t.jpg"/></item></channel></rss>`,
  `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://fuzz.example/"><title type="html">A &lt;i&gt;feed&lt;/i&gt;</title><link href="/"/><entry><id>tag:1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X <em>y</em> z</div></title><link href="/e1"/><updated>2024-03-12T05:30:27Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para <a href="/l">link</a> after</p></div></content><author><name>B</name></author></entry></feed>`,
  `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><rss:channel rdf:about="https://r.example/"><rss:title>R</rss:title></rss:channel><rss:item rdf:about="https://r.example/1"><rss:title>One</rss:title><dc:date>2019-08-24</dc:date></rss:item></rdf:RDF>`,
  JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [{ id: 1, title: 'It&#8217;s', content_html: '<p>a<b>b</b></p>', url: '/1' }] }),
];

// Pieces that used to trigger quadratic regexes or deep recursion, and plain breakage.
const NASTY = ['<!--', '&lt;!--', '<![CDATA[', ']]>', '&', '&#', '&amp;', '<img ', '<img src=', '<script>', '</script>', '<b>', '</b>', '</x>', '<', '>', '"', "'", '<link rel="alternate" ', '<?', '<!DOCTYPE [', '\u0000', '\uFFFF', '&infin;', '<a href="javascript:x">', '<item>', '</item>', '<entry>', '<title>', '</title>', ' xmlns:a="urn:a" ', '<a:b>'];

function mutate(doc: string, r: () => number, target: number): string {
  let out = doc;
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const steps = 1 + Math.floor(r() * 12);
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(r() * (out.length + 1));
    const op = r();
    if (op < 0.35) out = out.slice(0, at) + pick(NASTY) + out.slice(at);
    else if (op < 0.5) out = out.slice(0, at) + out.slice(at + Math.floor(r() * 40));
    else if (op < 0.6) out = out.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + out.slice(at);
    else if (op < 0.7) out = out.slice(0, Math.max(1, at)); // truncation
    else {
      // Grow a run of one nasty piece (or a slice of the document) towards the target size.
      const unit = r() < 0.7 ? pick(NASTY) + (r() < 0.5 ? 'x' : '') : out.slice(at, at + 1 + Math.floor(r() * 30)) || '<b>';
      const times = Math.max(1, Math.floor((target - out.length) / unit.length / Math.max(1, steps - s)));
      out = out.slice(0, at) + unit.repeat(times) + out.slice(at);
    }
  }
  return out.length > 2_000_000 ? out.slice(0, 2_000_000) : out;
}

function randomDoc(r: () => number, size: number): string {
  let out = '';
  while (out.length < size) out += r() < 0.5 ? NASTY[Math.floor(r() * NASTY.length)]! : String.fromCharCode(32 + Math.floor(r() * 95)).repeat(1 + Math.floor(r() * 5));
  return r() < 0.5 ? `<rss><channel><item><title>${out}</title></item></channel></rss>` : out;
}

async function throughPipeline(doc: string): Promise<void> {
  let feed;
  try {
    feed = await parseFeed({ body: Buffer.from(doc), url, ...(doc.startsWith('{') ? {} : { contentType: 'application/xml' }) });
  } catch (err) {
    // The feed boundary: a FetchError is recorded on the feed; anything else would escape.
    expect(err).toBeInstanceOf(FetchError);
    if (process.env.FUZZ_STATS) console.log('refused', (err as Error).message.slice(0, 80));
    return;
  }
  if (process.env.FUZZ_STATS) console.log('parsed', feed.items.length, 'items');
  for (const item of feed.items.slice(0, 50)) {
    const model = renderItem(item, { title: feed.title, url });
    toDiscordMessage({ kind: 'item', ...model });
    toSlackMessage({ kind: 'item', ...model });
  }
}

describe('fuzz: parse and render stay linear and never throw past the feed', () => {
  const sizes = [2_000, 20_000, 200_000, 1_000_000, 2_000_000];
  it.each(sizes.map((s, i) => [s, i] as const))('mutated and random documents of about %i characters', async (size, i) => {
    const r = rng(0x5eed + i);
    const count = size >= 1_000_000 ? 6 : 30;
    for (let n = 0; n < count; n++) {
      const doc = r() < 0.8 ? mutate(SEEDS[n % SEEDS.length]!, r, size) : randomDoc(r, size);
      // CPU time, not wall-clock (see cpu-time.ts).
      const { ms } = await cpuTimedAsync(() => throughPipeline(doc));
      const kb = Buffer.byteLength(doc) / 1024;
      expect(ms, `document ${n} (${kb.toFixed(0)} KB) took ${ms.toFixed(0)} ms`).toBeLessThan(BASE_MS + MS_PER_KB * kb);
    }
  }, 120_000);
});
