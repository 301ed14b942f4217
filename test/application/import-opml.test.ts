import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { decodeXml } from '../../src/core/opml/fetch-opml.js';
import { IMPORT_CONCURRENCY, IMPORT_MAX_FEEDS, importOpml } from '../../src/application/import-opml.js';
import type { SubscriptionRecord } from '../../src/domain/records.js';

const channel = { platform: 'discord' as const, workspaceId: 'g', channelId: 'c' };
const entry = (xmlUrl: string) => ({ xmlUrl, categories: [] });

/** A SubscriptionService stand-in: URLs map to feed ids; "slow" ones finish later. */
function fakeHerald(opts: { feedOf?: (url: string) => string; fail?: (url: string) => Error | undefined; existing?: string[]; room?: number; checks?: number } = {}) {
  const subs = new Map<string, SubscriptionRecord>();
  let active = 0;
  let peak = 0;
  let seq = 0;
  const feedOf = opts.feedOf ?? ((u: string) => u);
  const add = (feedId: string) => {
    const s = { ...channel, id: `s${++seq}`, feedId, feedUrl: feedId, createdBy: 'u', createdAt: seq, paused: false, state: 'active' as const };
    subs.set(s.id, s);
    return s;
  };
  for (const u of opts.existing ?? []) add(feedOf(u));
  const herald = {
    logger: { warn: () => undefined },
    clock: { now: () => 0 },
    store: {},
    subscriptions: {
      async subscribe(req: { url: string }) {
        active++;
        peak = Math.max(peak, active);
        try {
          const feedId = feedOf(req.url);
          const found = [...subs.values()].find((s) => s.feedId === feedId);
          await new Promise((r) => setTimeout(r, 5)); // the probe: where two imports of one feed race
          const err = opts.fail?.(req.url);
          if (err) throw err;
          if (found) return { subscription: found, alreadySubscribed: true };
          return { subscription: add(feedId), alreadySubscribed: false };
        } finally {
          active--;
        }
      },
      async remove(id: string) {
        subs.delete(id);
      },
      existing: () => undefined, // every entry goes through subscribe(), which knows what is here
      limits: { room: () => opts.room ?? Infinity, reserveChecks: (_c: unknown, n: number) => Math.min(n, opts.checks ?? Infinity) },
    },
  };
  // The use case needs only these members; the cast keeps the fake small.
  return { herald: herald as unknown as Parameters<typeof importOpml>[0], subs, peak: () => peak };
}

describe('importOpml', () => {
  it('adds new feeds, counts existing ones, lists failures with their reason, and dedupes the file', async () => {
    const f = fakeHerald({ existing: ['https://old.example/rss'], fail: (u) => (u.includes('bad') ? new UserError('Host not found: bad.example.') : undefined) });
    const r = await importOpml(f.herald, {
      channel,
      userId: 'u',
      entries: [entry('https://a.example/rss'), entry('https://a.example/rss'), entry('https://old.example/rss'), entry('https://bad.example/rss'), entry('not a url')],
    });
    expect(r.added.map((x) => x.entry.xmlUrl)).toEqual(['https://a.example/rss']);
    expect(r.already.map((x) => x.entry.xmlUrl)).toEqual(['https://old.example/rss']);
    expect(r.failed.map((x) => x.reason)).toEqual([expect.stringMatching(/is not a URL/), 'Host not found: bad.example.']);
    expect(f.subs.size).toBe(2);
  });

  it('keeps one subscription when two URLs of one feed race each other', async () => {
    const f = fakeHerald({ feedOf: (u) => u.replace(/^http:/, 'https:') });
    const r = await importOpml(f.herald, { channel, userId: 'u', entries: [entry('http://same.example/rss'), entry('https://same.example/rss')] });
    expect(r.added).toHaveLength(1);
    expect(r.already).toHaveLength(1);
    expect(f.subs.size).toBe(1);
    expect(r.already[0]!.subscription!.id).toBe(r.added[0]!.subscription!.id);
  });

  it('probes at most IMPORT_CONCURRENCY feeds at once and stops at IMPORT_MAX_FEEDS', async () => {
    const f = fakeHerald();
    const entries = Array.from({ length: IMPORT_MAX_FEEDS + 3 }, (_, i) => entry(`https://f${i}.example/rss`));
    const r = await importOpml(f.herald, { channel, userId: 'u', entries });
    expect(r.added).toHaveLength(IMPORT_MAX_FEEDS);
    expect(r.skipped).toBe(3);
    expect(f.peak()).toBe(IMPORT_CONCURRENCY);
  });

  it('tries only as many feeds as the caps leave room for and the check budget allows, counting the rest', async () => {
    const f = fakeHerald({ room: 3, checks: 2 });
    const entries = Array.from({ length: 5 }, (_, i) => entry(`https://c${i}.example/rss`));
    const r = await importOpml(f.herald, { channel, userId: 'u', entries });
    expect(r.added.map((x) => x.entry.xmlUrl)).toEqual(['https://c0.example/rss', 'https://c1.example/rss']);
    expect(r).toMatchObject({ overCap: 2, overRate: 1, skipped: 0 });
  });

  it('reports unexpected errors without their internals', async () => {
    const f = fakeHerald({ fail: () => new Error('SQLITE_BUSY: database is locked') });
    const r = await importOpml(f.herald, { channel, userId: 'u', entries: [entry('https://a.example/rss')] });
    expect(r.failed[0]!.reason).toMatch(/unexpected error/);
  });
});

describe('decodeXml', () => {
  it('honours a BOM or the declared encoding, UTF-8 otherwise', () => {
    expect(decodeXml(Buffer.from('\uFEFF<opml title="é"/>', 'utf8'))).toBe('<opml title="é"/>');
    expect(decodeXml(iconv.encode('<?xml version="1.0" encoding="ISO-8859-1"?><opml title="é"/>', 'latin1'))).toContain('title="é"');
    expect(decodeXml(iconv.encode('\uFEFF<opml title="é"/>', 'utf-16le'))).toContain('title="é"');
    expect(decodeXml(Buffer.from('<opml title="é"/>', 'utf8'))).toBe('<opml title="é"/>');
  });
});
