// Acceptance: every real-world feed in the shared corpus, served over loopback with its
// manifest Content-Type, goes through the real fetcher and parseFeed and yields the manifest's
// newest 3 titles and links. "Newest" = sorted newest first by date, ties and undated items
// in document order (the manifest's rule), which is identify's oldestFirst reversed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from '../../src/core/fetch/index.js';
import { parseNetworkList } from '../../src/core/fetch/networks.js';
import { oldestFirst } from '../../src/core/identify/index.js';
import { parseFeed } from '../../src/core/parse/index.js';
import { LoopbackServer } from '../core/fetch/loopback-server.js';
import { CORPUS, corpusManifest, describeCorpus } from './shared-corpus.js';

// The corpus sits in shared/ beside the checkout (in CI too, a copy beside the fresh clone).
const manifest = corpusManifest();

// Items that repeat an earlier guid in the same document; identify keeps the first copy.
const DUPLICATES: Record<string, number> = { 'feeds/scriptingnews.rss': 2 };

describeCorpus('real-world corpus', () => {
  let srv: LoopbackServer;
  let fetcher: Fetcher;

  beforeAll(async () => {
    srv = await new LoopbackServer().start();
    for (const e of manifest) srv.serve(`/${e.file}`, readFileSync(CORPUS + e.file), { 'content-type': e.contentType });
    fetcher = createFetcher({ maxBytes: 10_000_000, userAgent: 'Herald-test', allowedNetworks: parseNetworkList('127.0.0.1/32') });
  });
  afterAll(async () => {
    await fetcher.close();
    await srv.stop();
  });

  it('has all 38 feeds', () => expect(manifest).toHaveLength(38));

  it.each(manifest.map((e) => [e.file, e] as const))('%s yields its newest 3 items', async (_file, e) => {
    const res = await fetcher.fetch({ url: srv.url(`/${e.file}`) });
    if (res.status !== 'ok') throw new Error('expected a body');
    const parsed = await parseFeed({ body: res.body, url: res.url, ...(res.contentType ? { contentType: res.contentType } : {}) });
    expect(parsed.items).toHaveLength(e.itemCount - (DUPLICATES[e.file] ?? 0));
    const newest = oldestFirst(parsed.items).reverse().slice(0, 3);
    expect(newest.map((i) => ({ title: i.title, link: i.link ?? null }))).toEqual(e.newest.map((n) => ({ title: n.title ?? '', link: n.link })));
    expect(parsed.title.length).toBeGreaterThan(0);
    for (const item of parsed.items) expect(item.title).not.toMatch(/&(?:amp|lt|gt|#\d+|#x[0-9a-f]+);/i);
  });
});
