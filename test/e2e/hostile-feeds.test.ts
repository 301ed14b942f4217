// Part 8 items 1 and 7 end to end: feeds built to hit the old quadratic regexes (text.ts TAG,
// images.ts FIRST_IMG, repair.ts LITERAL) and a 20,000-deep nested title, subscribed next to
// a plain feed, through the real discord.js against the fake Discord. Before the fix each
// poll of the first three blocked the event loop for seconds (quadratic in the field size)
// and the deep one overflowed the stack; now Herald stays responsive:
// - /healthz always answers within 1 s (probed back to back the whole time),
// - every /subscribe is answered within 10 s,
// - the plain feed's new item is posted within 2 poll intervals + 5 s.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { item, items, useHerald } from './fixture.js';
import { sleep } from './harness.js';

const GUILD = '200000000000000001';
const CHANNELS = ['300000000000000001', '300000000000000002', '300000000000000003', '300000000000000004', '300000000000000005'] as const;
const INTERVAL_MS = 2000;
// About 250 KB per field: the old code spent 2–3 s per poll on each of the first three (measured).
const SIZE = 250_000;
const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length));
const wrap = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hostile</title><link>https://example.com/</link>${inner}</channel></rss>`;

/** The hostile documents: each was a worst case of one regex site (or of recursion). */
const HOSTILE: Record<string, string> = {
  // text.ts TAG `<!--[\s\S]*?-->`: "&lt;!--" decodes to "<!--" with no "-->" anywhere.
  '/comment-title.xml': wrap(`<item><title>${fill('&lt;!--')}</title><guid>c1</guid><description>${fill('&lt;!--')}</description></item>`),
  // images.ts FIRST_IMG `<img\b[^>]*?\bsrc…`: "<img " again and again, never a src or ">".
  '/img-flood.xml': wrap(`<item><title>Images</title><guid>i1</guid><description><![CDATA[${fill('<img a=1 ')}]]></description></item>`),
  // repair.ts LITERAL `<!--[\s\S]*?-->`: a bare "&" fails the strict parse, then unclosed comment openers.
  '/comment-flood.xml': wrap(`<item><title>A & B</title><guid>d1</guid><description>${fill('<!-- & ')}</description></item>`),
  // xml-node.ts text()/innerXml() recursion: 20,000 nested tags in one title.
  '/deep.xml': wrap(`<item><title>${'<b>'.repeat(20_000)}deep${'</b>'.repeat(20_000)}</title><guid>n1</guid><link>https://example.com/deep</link></item><item><title>Deep neighbour</title><guid>n2</guid></item>`),
};

describe('hostile feeds do not freeze Herald', () => {
  const w = useHerald(() => new FakeDiscord([{ id: GUILD, channels: [...CHANNELS] }]).start());

  it('keeps /healthz, /subscribe and a neighbour feed on time', { timeout: 90_000 }, async () => {
    for (const [path, body] of Object.entries(HOSTILE)) w.feeds.serve(path, body);
    const plain = w.feeds.feed('/plain.xml', 'Plain', items(1, 2));
    const app = await w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, POLL_INTERVAL: `${INTERVAL_MS / 1000}s` });

    // Back-to-back /healthz probes for the whole test: latency of each, and gaps between answers.
    let probing = true;
    const probes: { latency: number; gap: number }[] = [];
    const hostilePaths = Object.keys(HOSTILE);
    const prober = (async () => {
      let last = performance.now();
      while (probing) {
        const sent = performance.now();
        // A probe that times out (5 s) is recorded as that slow, not thrown out of the loop.
        const status = await fetch(`http://127.0.0.1:${app.port}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
          async (res) => (await res.arrayBuffer(), res.status),
          () => 0,
        );
        const now = performance.now();
        probes.push({ latency: status === 200 ? now - sent : Math.max(5000, now - sent), gap: now - last });
        last = now;
        await sleep(50);
      }
    })();

    try {
      const replies: { path: string; ms: number; content: string }[] = [];
      const subscribe = async (path: string, channelId: string, backfill?: number) => {
        const start = performance.now();
        const reply = await w.platform.interact({ name: 'subscribe', options: { feed: w.feeds.url(path), ...(backfill ? { backfill } : {}) }, channelId }, 15_000);
        replies.push({ path, ms: performance.now() - start, content: String(reply.content ?? '') });
      };
      await subscribe('/plain.xml', CHANNELS[0]);
      for (const [i, path] of hostilePaths.entries()) await subscribe(path, CHANNELS[i + 1]!, 2);
      for (const r of replies) expect(r.ms, `/subscribe ${r.path} answered in ${r.ms.toFixed(0)} ms: ${r.content}`).toBeLessThan(10_000);

      // Let the hostile feeds be polled a few times (some back off as failing, so this is
      // time, not a count of polls), then publish on the plain feed.
      await sleep(2 * INTERVAL_MS);
      plain.set(items(1, 3));
      const published = performance.now();
      const [post] = (await w.platform.waitForMessages(CHANNELS[0], 1, 2 * INTERVAL_MS + 5000)).slice(-1);
      expect(performance.now() - published).toBeLessThan(2 * INTERVAL_MS + 5000);
      expect((post!.body.embeds as { title: string }[])[0]!.title).toBe(item(3).title);
      await sleep(INTERVAL_MS);
    } finally {
      probing = false;
      await prober;
    }
    expect(probes.length).toBeGreaterThan(20);
    // Counts, not one worst case: a busy machine can stall any single probe, but a hostile feed
    // that blocks the event loop does so on every poll of it (several per test), so more than
    // one slow probe means Herald froze. None may reach the probe's 5 s timeout.
    const slow = probes.filter((p) => p.latency >= 1000).map((p) => Math.round(p.latency));
    expect(slow.length, `/healthz answers of 1 s or more: ${slow.join(', ')} ms`).toBeLessThanOrEqual(1);
    expect(Math.max(...probes.map((p) => p.latency))).toBeLessThan(5000);
    // The gap includes the 50 ms pause between probes: a blocked event loop shows here too.
    const gaps = probes.filter((p) => p.gap >= 1100).map((p) => Math.round(p.gap));
    expect(gaps.length, `gaps of 1.1 s or more between /healthz answers: ${gaps.join(', ')} ms`).toBeLessThanOrEqual(1);

    // The deep feed lost only its bad title: both of its items were posted.
    const deepChannel = CHANNELS[1 + hostilePaths.indexOf('/deep.xml')]!;
    const deepTitles = (await w.platform.waitForMessages(deepChannel, 2)).map((m) => (m.body.embeds as { title: string }[])[0]!.title);
    expect(deepTitles.sort()).toEqual(['(untitled)', 'Deep neighbour']);
    // The comment-title feed was posted too, its title kept as the characters it is.
    const commentPost = (await w.platform.waitForMessages(CHANNELS[1 + hostilePaths.indexOf('/comment-title.xml')]!, 1))[0]!;
    const shown = (commentPost.body.embeds as { title: string }[])[0]!.title.replace(/\\(.)/g, '$1'); // markdown escapes off
    expect(shown.startsWith('<!--<!--')).toBe(true);
  });
});
