// Done-when for compact cards: every shared corpus feed subscribed with backfill:3 on Discord
// and on Slack (real discord.js and Bolt against the fakes, all feeds from one loopback
// server): every default post's excerpt is ≤ 500 visible characters, a cut one ends "…"
// after a whole word, no post carries feed boilerplate; and /feeds style full|link on a long
// Engadget item. Needs ../shared/corpus: skipped with a notice when absent, required in CI.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS, corpusManifest, describeCorpus } from '../corpus/shared-corpus.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeSlack } from '../fakes/slack/index.js';
import { slashOverHttp } from '../fakes/slack/slash.js';
import { rss } from '../fakes/feed-server.js';
import { useHerald } from './fixture.js';

interface Entry {
  file: string;
  contentType: string;
}
const manifest: Entry[] = corpusManifest();
const raw = (e: Entry) => readFileSync(`${CORPUS}${e.file}`);

const BOILERPLATE = ['appeared first on', 'originally appeared on', 'terms for use of feeds', 'Email this', '[link]', '[comments]'];
const ENGADGET = 'feeds/engadget-2011.rss';
/** Engadget without its newest item, so that item is new on a later poll. */
const engadgetMinusNewest = () => {
  const doc = raw({ file: ENGADGET, contentType: '' }).toString('utf8');
  const start = doc.indexOf('<item>');
  return doc.slice(0, start) + doc.slice(doc.indexOf('</item>', start) + '</item>'.length);
};

/** The visible text ends "…" after a whole word of the feed (or between CJK characters). */
function cutAfterWholeWord(excerpt: string, feedText: string): boolean {
  const before = excerpt.slice(0, -1).trimEnd();
  const last = before.split(/\s/).pop() ?? '';
  const word = /[\p{L}\p{N}]+$/u.exec(last)?.[0];
  if (!word || /\p{Script=Han}/u.test(word)) return true;
  for (let at = feedText.indexOf(word); at !== -1; at = feedText.indexOf(word, at + 1)) {
    if (!/[\p{L}\p{N}]/u.test(feedText[at + word.length] ?? ' ')) return true;
  }
  return false;
}

function expectCompact(visible: string, e: Entry) {
  expect(visible.length, e.file).toBeLessThanOrEqual(500);
  if (visible.endsWith('…')) expect(cutAfterWholeWord(visible, raw(e).toString('latin1')), `${e.file}: ${visible.slice(-40)}`).toBe(true);
}

function expectNoBoilerplate(text: string, file: string) {
  for (const b of BOILERPLATE) expect(text, file).not.toContain(b);
}

describeCorpus('compact cards on the shared corpus', () => {
  describe('Discord', () => {
    const channels = manifest.map((_, i) => `31${String(i).padStart(16, '0')}`);
    const STYLE_FULL = '320000000000000001';
    const STYLE_LINK = '320000000000000002';
    const BRACES = '320000000000000003';
    const w = useHerald(() => new FakeDiscord([{ id: '200000000000000001', channels: [...channels, STYLE_FULL, STYLE_LINK, BRACES] }]).start());
    const start = () => w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
    // Discord shows markdown escapes and the invisible anti-ping space as nothing.
    const visible = (s: string) => s.replace(/\\(.)/g, '$1').replace(/\u200b/g, '');

    it('backfill:3 of every feed: excerpts ≤ 500 visible characters, cut after a word, no boilerplate, valid bodies', async () => {
      const urls = manifest.map((e) => w.feeds.serve(`/${e.file}`, raw(e), e.contentType));
      await start();
      for (const [i, url] of urls.entries()) {
        const reply = await w.platform.interact({ name: 'subscribe', options: { feed: url, backfill: 3 }, channelId: channels[i]! });
        expect(reply.content, manifest[i]!.file).toMatch(/Subscribed/);
      }
      for (const [i, e] of manifest.entries()) {
        const posts = await w.platform.waitForMessages(channels[i]!, 3, 30_000);
        for (const p of posts) {
          const embed = (p.body.embeds as { description?: string; footer?: { text: string } }[])[0]!;
          expectCompact(visible(embed.description ?? ''), e);
          expectNoBoilerplate(visible(JSON.stringify(p.body)), e.file);
        }
      }
      // A link with { } in its query leaves encoded (the spec types embed URLs as RFC 3986 URIs).
      const braces = w.feeds.serve('/braces.rss', rss('Braces', [{ title: 'B', link: 'https://example.com/p?q={a}', guid: 'b' }]));
      await w.platform.interact({ name: 'subscribe', options: { feed: braces, backfill: 1 }, channelId: BRACES });
      const [b] = await w.platform.waitForMessages(BRACES, 1);
      expect((b!.body.embeds as { url: string }[])[0]!.url).toBe('https://example.com/p?q=%7Ba%7D');
      expect(b!.body.content).toBe('<https://example.com/p?q=%7Ba%7D>');
      // The fixture fails this test if any body above broke Discord's OpenAPI description.
    }, 120_000);

    it('style full posts the long Engadget item at > 1,000 characters; style link posts it with no excerpt', async () => {
      let doc: string | Buffer = engadgetMinusNewest();
      const url = w.feeds.route('/engadget-style.rss', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(doc));
      await start();
      for (const ch of [STYLE_FULL, STYLE_LINK]) await w.platform.interact({ name: 'subscribe', options: { feed: url }, channelId: ch });
      const full = await w.platform.interact({ name: 'feeds', subcommand: 'style', options: { feed: url, style: 'full' }, channelId: STYLE_FULL });
      expect(full.content).toMatch(/now \*\*full\*\*/);
      await w.platform.interact({ name: 'feeds', subcommand: 'style', options: { feed: url, style: 'link' }, channelId: STYLE_LINK });
      const list = await w.platform.interact({ name: 'feeds', subcommand: 'list', channelId: STYLE_LINK });
      expect(list.content).toContain('style: link');
      doc = raw({ file: ENGADGET, contentType: '' });
      const [long] = await w.platform.waitForMessages(STYLE_FULL, 1);
      const description = visible((long!.body.embeds as { description: string }[])[0]!.description);
      expect(description.length).toBeGreaterThan(1000);
      expectNoBoilerplate(description, ENGADGET);
      const [bare] = await w.platform.waitForMessages(STYLE_LINK, 1);
      expect(bare!.body.embeds ?? []).toEqual([]);
      expect(bare!.body.content).toBe("**HP derides BlackBerry PlayBook OS as a 'fast imitation' of webOS, RIM says it's just good UI design**\nhttp://www.engadget.com/2011/03/01/hp-derides-blackberry-playbook-os-as-a-fast-imitation-of-webos/");
    }, 60_000);
  });

  describe('Slack', () => {
    const SECRET = 'corpus-signing-secret';
    const channels = manifest.map((_, i) => `C0CORPUS${String(i).padStart(2, '0')}`);
    const w = useHerald(() => new FakeSlack({ channels: [...channels, 'C0LINKSTYLE'].map((id) => ({ id, name: id.toLowerCase(), isMember: true })) }).start());
    const start = () => w.run({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
    const slash = async (command: string, text: string, channelId: string) =>
      (await slashOverHttp(w.platform, { url: `http://127.0.0.1:${w.app!.port}/slack/events`, signingSecret: SECRET }, { command, text, channelId })).reply!;
    /** The excerpt line(s) of the section, as Slack shows them. */
    const excerptOf = (section: string) => {
      const body = section.slice(section.indexOf('\n') + 1);
      return section.includes('\n') ? body.replace(/<([^|>]*)(\|[^>]*)?>/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : '';
    };

    it('backfill:3 of every feed: excerpts ≤ 500 visible characters, cut after a word, no boilerplate', async () => {
      const urls = manifest.map((e) => w.feeds.serve(`/${e.file}`, raw(e), e.contentType));
      await start();
      for (const [i, url] of urls.entries()) expect((await slash('/subscribe', `${url} backfill:3`, channels[i]!)).text, manifest[i]!.file).toMatch(/Subscribed/);
      for (const [i, e] of manifest.entries()) {
        for (const p of await w.platform.waitForPosts(channels[i]!, 3, 30_000)) {
          const section = (p.blocks?.[0] as { text: { text: string } }).text.text;
          expectCompact(excerptOf(section), e);
          expectNoBoilerplate(JSON.stringify(p.blocks), e.file);
          expect(p.body.unfurl_links).toBe('false');
        }
      }
    }, 120_000);

    it('/feeds style <id> link: title and link only, unfurled by Slack', async () => {
      let doc: string | Buffer = engadgetMinusNewest();
      const url = w.feeds.route('/engadget-link.rss', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(doc));
      await start();
      const sub = await slash('/subscribe', url, 'C0LINKSTYLE');
      const id = /ID `([a-z0-9]+)`/.exec(sub.text ?? '')?.[1];
      expect((await slash('/feeds', `style ${id} link`, 'C0LINKSTYLE')).text).toMatch(/now \*link\*/);
      doc = raw({ file: ENGADGET, contentType: '' });
      const [post] = await w.platform.waitForPosts('C0LINKSTYLE', 1);
      expect(post!.body.unfurl_links).toBe('true');
      expect(post!.blocks ?? []).toEqual([]);
      expect(post!.text).toMatch(/^\*<http:\/\/www\.engadget\.com\/2011\/03\/01\/hp-derides[^|]*\|HP derides .*>\*$/);
    }, 60_000);
  });
});
