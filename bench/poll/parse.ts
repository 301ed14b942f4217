// (b) Parse + diff on changed feeds (5 new items of 50) against bare rss-parser parseString
// on the same bytes. The bytes come through Herald's fetcher from the local server once.
import Parser from 'rss-parser';
import { createFetcher } from '../../src/core/fetch/index.js';
import { parseNetworkList } from '../../src/core/fetch/networks.js';
import { newItems } from '../../src/core/identify/index.js';
import { parseFeed } from '../../src/core/parse/index.js';
import { USER_AGENT } from '../../src/version.js';

export interface ParseResult {
  feeds: number;
  bytesPerFeed: number;
  rounds: number;
  bareFeedsPerSec: number;
  heraldFeedsPerSec: number;
  newItemsPerFeed: number;
  /** Herald throughput / bare throughput; the goal is ≥ 0.8. */
  ratio: number;
}

interface Doc {
  url: string;
  body: Buffer;
  contentType?: string;
  seen: string[];
}

export async function benchParse(origin: string, feeds: number, rounds: number): Promise<ParseResult> {
  const fetcher = createFetcher({ maxBytes: 10_000_000, userAgent: USER_AGENT, allowedNetworks: parseNetworkList('127.0.0.1/32') });
  const docs: Doc[] = [];
  for (let i = 0; i < feeds; i++) {
    const before = await fetcher.fetch({ url: `${origin}/f/${i}?v=1` });
    const after = await fetcher.fetch({ url: `${origin}/f/${i}?v=2` });
    if (before.status !== 'ok' || after.status !== 'ok') throw new Error('expected bodies');
    const old = await parseFeed({ body: before.body, url: before.url });
    docs.push({ url: after.url, body: after.body, ...(after.contentType ? { contentType: after.contentType } : {}), seen: old.items.map((it) => it.id) });
  }
  await fetcher.close();

  const bareParser = new Parser();
  let newCount = 0;
  const bare = (d: Doc) => bareParser.parseString(d.body.toString());
  const herald = async (d: Doc) => {
    const parsed = await parseFeed({ body: d.body, url: d.url, ...(d.contentType ? { contentType: d.contentType } : {}) });
    return newItems(parsed.items, d.seen).length;
  };
  for (const d of docs) {
    await bare(d);
    await herald(d);
  }
  // Alternating document by document (swapping who goes first) keeps both sides under the
  // same machine load; each side's total is the sum of its own parses.
  let bareMs = 0;
  let heraldMs = 0;
  for (let r = 0; r < rounds; r++) {
    for (const [k, d] of docs.entries()) {
      const heraldFirst = (k + r) % 2 === 1;
      let t = 0;
      if (heraldFirst) {
        t = performance.now();
        newCount += await herald(d);
        heraldMs += performance.now() - t;
      }
      t = performance.now();
      await bare(d);
      bareMs += performance.now() - t;
      if (!heraldFirst) {
        t = performance.now();
        newCount += await herald(d);
        heraldMs += performance.now() - t;
      }
    }
  }
  const total = feeds * rounds;
  return {
    feeds,
    bytesPerFeed: Math.round(docs.reduce((n, d) => n + d.body.length, 0) / docs.length),
    rounds,
    bareFeedsPerSec: Math.round((total / bareMs) * 1000),
    heraldFeedsPerSec: Math.round((total / heraldMs) * 1000),
    newItemsPerFeed: newCount / (feeds * rounds),
    ratio: Number((bareMs / heraldMs).toFixed(3)),
  };
}
