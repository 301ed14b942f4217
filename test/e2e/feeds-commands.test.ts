// /feeds management verbs end to end: real discord.js against the fake Discord, feeds and
// OPML files from the local feed server. One Herald per test, 1 s poll interval.
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { item, useHerald } from './fixture.js';
import { sleep } from './harness.js';

const CH1 = '300000000000000001';
const CH2 = '300000000000000002';
const embedTitles = (ms: { body: Record<string, unknown> }[]) => ms.map((m) => (m.body.embeds as { title: string }[] | undefined)?.[0]?.title ?? String(m.body.content));
const idOf = (text: string) => /ID `([a-z0-9]+)`/.exec(text)?.[1] ?? '';

describe('/feeds management end to end', () => {
  const w = useHerald(() => new FakeDiscord().start());

  const start = () => w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, FEED_MAX_FAILURES: '2' });
  const feedsCmd = (subcommand: string, options: Record<string, string | number> = {}, more: { channelId?: string; permissions?: string } = {}) =>
    w.platform.interact({ name: 'feeds', subcommand, options, ...more });
  const subscribe = async (url: string, channelId = CH1) => idOf((await w.platform.interact({ name: 'subscribe', options: { feed: url }, channelId })).content);

  it('pause stops posts (without a backlog later), resume posts new items again', async () => {
    const feed = w.feeds.feed('/pause.xml', 'Pausable', [item(1)]);
    await start();
    const id = await subscribe(feed.url);
    const paused = await feedsCmd('pause', { feed: id });
    expect(paused.content).toMatch(/Paused Pausable/);
    expect((await feedsCmd('pause', { feed: 'all' })).content).toMatch(/Already paused: Pausable/);
    expect((await feedsCmd('list')).content).toMatch(/paused/);
    feed.set([item(2), item(1)]);
    await sleep(2500);
    expect(w.platform.messagesIn(CH1)).toHaveLength(0);
    const resumed = await feedsCmd('resume', { feed: 'all' });
    expect(resumed.content).toMatch(/Resumed Pausable/);
    expect((await feedsCmd('resume', { feed: id })).content).toMatch(/Nothing to resume/);
    feed.set([item(3), item(2), item(1)]);
    await w.platform.waitForMessages(CH1, 1);
    await sleep(1500);
    expect(embedTitles(w.platform.messagesIn(CH1))).toEqual(['Item 3']);
  });

  it('resume after a platform block sends a test notice, then the kept items', async () => {
    const feed = w.feeds.feed('/blocked.xml', 'Blocky', [item(1)]);
    await start();
    const id = await subscribe(feed.url);
    w.platform.fault(CH1, { status: 403, code: 50013 });
    feed.set([item(2), item(1)]);
    await waitUntil(async () => (await feedsCmd('list')).content.includes('⛔ blocked'));
    // Published while the channel is blocked: kept too, not only the item pending at the 403.
    feed.set([item(3), item(2), item(1)]);
    await waitUntil(async () => (await feedsCmd('status')).content.includes('queued messages: 2'));
    feed.set([item(4), item(3), item(2), item(1)]);
    await waitUntil(async () => (await feedsCmd('status')).content.includes('queued messages: 3'));
    const still = await feedsCmd('resume', { feed: id });
    expect(still.content).toMatch(/still cannot post here: missing permission.*View Channel/s);
    w.platform.fault(CH1, undefined);
    const ok = await feedsCmd('resume', { feed: id });
    expect(ok.content).toMatch(/can post in this channel again/);
    const posted = await w.platform.waitForMessages(CH1, 4);
    expect(embedTitles(posted)).toEqual(['Item 2', 'Item 3', 'Item 4', 'Herald can post here again.']);
    expect((await feedsCmd('list')).content).not.toMatch(/⛔/);
  });

  it('status shows counts, failing feeds with their error, poll time and version, to everyone', async () => {
    const a = w.feeds.feed('/status-a.xml', 'Status A', [item(1)]);
    let failing = false;
    const broken = w.feeds.route('/status-b.xml', (_req, res) => {
      if (failing) res.writeHead(500).end('boom');
      else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<rss version="2.0"><channel><title>Status B</title><item><title>x</title><guid>x</guid></item></channel></rss>`);
    });
    await start();
    await subscribe(a.url);
    await subscribe(broken);
    await subscribe(a.url, CH2);
    failing = true;
    await sleep(3500);
    const status = await feedsCmd('status', {}, { permissions: '0' });
    expect(status.ephemeral).toBe(true);
    expect(status.content).toContain(`Herald ${VERSION}`);
    expect(status.content).toMatch(/Feeds: 2/);
    expect(status.content).toMatch(/2 subscription\(s\) in this channel \/ 3 in total/);
    expect(status.content).toMatch(/Failing feeds: 1 \(1 read here\)/);
    expect(status.content).toMatch(/Status B: the server answered HTTP 500/);
    expect(status.content).toMatch(/Last poll: \d{4}-\d\d-\d\dT/);
    expect(status.content).toMatch(/overdue feeds: 0 /);
    expect(status.content).toMatch(/queued messages: 0/);
    expect((await feedsCmd('list')).content).toMatch(/Status B.*(failing|stopped)/);
    // The feed was stopped after 2 failures; resume checks it again right away.
    failing = false;
    expect((await feedsCmd('resume', { feed: 'all' })).content).toMatch(/Checking Status B again now/);
    await waitUntil(async () => /Failing feeds: 0/.test((await feedsCmd('status')).content));
  });

  it('template: refuses unknown placeholders with the valid list; the next post uses the template', async () => {
    const feed = w.feeds.feed('/tpl.xml', 'Templated', [item(1)]);
    await start();
    const id = await subscribe(feed.url);
    const bad = await feedsCmd('template', { feed: id, text: '{titel} {link}' });
    expect(bad.ephemeral).toBe(true);
    expect(bad.content).toMatch(/Unknown placeholder \{titel\}.*\{title\}.*\{link\}.*\{summary\}/);
    const set = await feedsCmd('template', { feed: id, text: 'New from {feed}: {title}' });
    expect(set.content).toContain('New from Templated: Item 1');
    feed.set([item(2), item(1)]);
    const [post] = await w.platform.waitForMessages(CH1, 1);
    expect(post!.body.content).toBe('New from Templated: Item 2');
    expect(post!.body.embeds ?? []).toEqual([]);
    expect((await feedsCmd('template', { feed: id, text: 'reset' })).content).toMatch(/default layout/);
    feed.set([item(3), item(2), item(1)]);
    const posts = await w.platform.waitForMessages(CH1, 2);
    expect(embedTitles(posts.slice(1))).toEqual(['Item 3']);
  });

  it('OPML round trip: export from one channel, import into another gives the same feeds', async () => {
    const a = w.feeds.feed('/opml-a.xml', `Tom & "Jerry's" news`, [item(1)]);
    const b = w.feeds.feed('/opml-b.xml', 'Second', [item(1)]);
    await start();
    await subscribe(a.url);
    const bId = await subscribe(b.url);
    expect((await feedsCmd('style', { feed: bId, style: 'full' })).content).toMatch(/now \*\*full\*\*/);
    const exported = await feedsCmd('export', {}, { permissions: '0' });
    expect(exported.content).toMatch(/2 feed\(s\) as OPML/);
    const file = exported.files[0]!;
    expect(file.filename).toBe(`herald-${CH1}.opml`);
    const opml = file.data.toString('utf8');
    expect(opml).toContain('Tom &amp; &quot;Jerry&apos;s&quot; news');
    const fileUrl = w.feeds.serve('/export.opml', opml, 'text/x-opml');
    const imported = await w.platform.interact({ name: 'feeds', subcommand: 'import', channelId: CH2, attachments: { file: { filename: file.filename!, url: fileUrl, size: file.data.length } } });
    expect(imported.content).toMatch(/2 added, 0 already here, 0 failed/);
    const again = await w.platform.interact({ name: 'feeds', subcommand: 'import', channelId: CH2, options: { url: fileUrl } });
    expect(again.content).toMatch(/0 added, 2 already here, 0 failed/);
    const back = await feedsCmd('export', {}, { channelId: CH2 });
    const urls = (xml: string) => [...xml.matchAll(/xmlUrl="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(urls(back.files[0]!.data.toString('utf8'))).toEqual(urls(opml));
    expect(urls(opml)).toEqual([a.url, b.url].sort());
    // The style travels in the file (an attribute other readers ignore) and comes back on import.
    expect(opml).toContain('heraldStyle="full"');
    expect((await feedsCmd('list', {}, { channelId: CH2 })).content).toMatch(/Second · .* · style: full/);
  });

  it('import reports failed entries with reasons, counts nested outlines, and refuses non-OPML', async () => {
    const good = w.feeds.feed('/imp-good.xml', 'Good', [item(1)]);
    const nested = w.feeds.feed('/imp-nested.xml', 'Nested', [item(1)]);
    const opml = `<?xml version="1.0"?><opml version="1.0"><head><title>Mine</title></head><body>
      <outline text="Folder"><outline text="Deep"><outline text="Nested" xmlUrl="${nested.url}"/></outline></outline>
      <outline text="Good" xmlUrl="${good.url}"/><outline text="Good again" xmlUrl="${good.url}"/>
      <outline text="Missing" xmlUrl="${w.feeds.url('/imp-missing.xml')}"/>
      <outline text="Not a URL" xmlUrl="feed me"/></body></opml>`;
    const url = w.feeds.serve('/list.opml', opml, 'text/xml');
    w.feeds.serve('/not-opml.xml', '<rss version="2.0"><channel><title>x</title></channel></rss>', 'text/xml');
    await start();
    const r = await feedsCmd('import', { url });
    expect(r.content).toMatch(/from Mine: 2 added, 0 already here, 2 failed/);
    expect(r.content).toMatch(/Missing: .*HTTP 404/);
    expect(r.content).toMatch(/Not a URL: .*is not a URL/);
    const list = (await feedsCmd('list')).content;
    expect(list).toContain('Nested');
    expect(list).toContain('Good');
    expect((await feedsCmd('import', { url: w.feeds.url('/not-opml.xml') })).content).toMatch(/not OPML/);
    expect((await feedsCmd('import')).content).toMatch(/Attach an OPML file/);
    const big = await w.platform.interact({ name: 'feeds', subcommand: 'import', attachments: { file: { filename: 'x.opml', url, size: 2_000_000 } } });
    expect(big.content).toMatch(/larger than 1 MB/);
  });

  it('filter: reply counts passing items, preview says why each skipped one is filtered, polls obey it', async () => {
    const feed = w.feeds.feed('/filter.xml', 'Filtered', [item(3, 'Rust 1.90 released'), item(2, 'Go generics'), item(1, 'Rust sponsored post')]);
    await start();
    const id = await subscribe(feed.url);
    const bad = await feedsCmd('filter', { feed: id, include: '/(unclosed/' });
    expect(bad.ephemeral).toBe(true);
    const set = await feedsCmd('filter', { feed: id, include: 'rust', exclude: 'sponsored', field: 'title' });
    expect(set.content).toMatch(/Filter set for Filtered .*include rust · exclude sponsored · looking at title/);
    expect(set.content).toMatch(/1 of the newest 3 item\(s\) would pass/);
    const p = await feedsCmd('preview', { feed: id }, { permissions: '0' });
    expect(p.ephemeral).toBe(true);
    expect(p.content).toMatch(/newest 3 item\(s\); 1 would be posted \(✅\), 2 filtered/);
    expect(p.content).toMatch(/✅ Rust 1.90 released/);
    expect(p.content).toMatch(/🚫 Go generics \(no include term .*rust.* found in title\)/);
    expect(p.content).toMatch(/🚫 Rust sponsored post \(excluded by .*sponsored.* in title\)/);
    expect(p.content.indexOf('Rust 1.90')).toBeLessThan(p.content.indexOf('Go generics'));
    feed.set([item(5, 'Rust 2.0'), item(4, 'Python news'), ...feed.items]);
    await w.platform.waitForMessages(CH1, 1);
    await sleep(1500);
    expect(embedTitles(w.platform.messagesIn(CH1))).toEqual(['Rust 2.0']);
    expect((await feedsCmd('filter', { feed: id, reset: 'true' })).content).toMatch(/Filter removed/);
    feed.set([item(6, 'Python again'), ...feed.items]);
    await w.platform.waitForMessages(CH1, 2);
    expect(embedTitles(w.platform.messagesIn(CH1))).toEqual(['Rust 2.0', 'Python again']);
  });

  it('list pages 15 at a time with short IDs; an import of 17 feeds fills two pages', async () => {
    const outlines = Array.from({ length: 17 }, (_, i) => {
      const f = w.feeds.feed(`/many-${i}.xml`, `Many ${i}`, [item(1)]);
      return `<outline text="Many ${i}" xmlUrl="${f.url}"/>`;
    });
    const url = w.feeds.serve('/many.opml', `<opml version="2.0"><body><outline text="All">${outlines.join('')}</outline></body></opml>`, 'text/x-opml');
    await start();
    expect((await feedsCmd('import', { url })).content).toMatch(/17 added, 0 already here, 0 failed/);
    const page1 = (await feedsCmd('list', {}, { permissions: '0' })).content;
    expect(page1).toMatch(/^17 subscription\(s\) in this channel \(page 1\/2; use page:<n>\):/);
    expect(page1.split('\n').filter((l) => /^`[a-z0-9]{6}` Many \d+/.test(l))).toHaveLength(15);
    const page2 = (await feedsCmd('list', { page: 9 })).content;
    expect(page2).toMatch(/page 2\/2/);
    expect(page2.split('\n').filter((l) => /^`[a-z0-9]{6}` Many/.test(l))).toHaveLength(2);
  });

  it('registers every /feeds verb with Discord-valid names and descriptions', async () => {
    await start();
    const defs = w.platform.commandRegistrations[0]!.body as { name: string; options?: { name: string; description: string; options?: { name: string; description: string }[] }[] }[];
    const verbs = defs.find((c) => c.name === 'feeds')!.options!;
    expect(verbs.map((v) => v.name).sort()).toEqual(['digest', 'export', 'filter', 'identity', 'import', 'list', 'mention', 'pause', 'preview', 'publish', 'resume', 'status', 'style', 'template', 'thread']);
    for (const o of verbs.flatMap((v) => [v, ...(v.options ?? [])])) {
      expect(o.name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(o.description.length, o.description).toBeLessThanOrEqual(100);
    }
  });

  it('refuses pause to members without Manage Channels, but allows list, status and export', async () => {
    const feed = w.feeds.feed('/perm.xml', 'Perm', [item(1)]);
    await start();
    const id = await subscribe(feed.url);
    const denied = await feedsCmd('pause', { feed: id }, { permissions: '0' });
    expect(denied.content).toMatch(/Manage Channels/);
    expect((await feedsCmd('list', {}, { permissions: '0' })).content).toContain(id);
    expect((await feedsCmd('export', {}, { permissions: '0' })).files).toHaveLength(1);
    for (const verb of ['resume', 'template', 'import']) expect((await feedsCmd(verb, { feed: id, text: 'x' }, { permissions: '0' })).content).toMatch(/Manage Channels/);
    expect((await feedsCmd('list')).content).not.toMatch(/paused/);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(200);
  }
}
