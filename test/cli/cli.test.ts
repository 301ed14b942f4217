// The `herald` command as a subprocess: preview against a local server serving a real feed
// from the shared corpus, help, and export → import between two SQLite files.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { acquireLease } from '../../src/store/lease.js';
import { FeedServer } from '../fakes/feed-server.js';
import { tempSqlite, type TempDb } from '../e2e/harness.js';
import { heraldEnv, ROOT } from '../e2e/subprocess.js';
import { CORPUS, describeCorpus } from '../corpus/shared-corpus.js';

interface ManifestEntry {
  file: string;
  contentType: string;
  newest: { title: string; link: string }[];
}

/** Runs bin/herald.js with stdin text; resolves with exit code and both streams. */
function herald(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'herald.js'), ...args], { cwd: ROOT, env: heraldEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('herald CLI', () => {
  it('prints usage for help and exits 2 for an unknown command', async () => {
    const help = await herald(['help']);
    expect(help.code).toBe(0);
    for (const word of ['preview', 'export', 'import']) expect(help.stdout).toContain(`herald ${word}`);
    const bad = await herald(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown command "frobnicate"');
  });

  // Serves a real feed from ../shared/corpus: skipped with a notice without it, required in CI.
  describeCorpus('preview', () => {
    let server: FeedServer;
    let entry: ManifestEntry;
    beforeAll(async () => {
      const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as ManifestEntry[];
      entry = manifest.find((m) => m.file === 'feeds/engadget-2011.rss')!;
      server = await new FeedServer().start();
      server.serve('/engadget.rss', readFileSync(join(CORPUS, entry.file)), entry.contentType);
    });
    afterAll(async () => server.stop());

    it('prints the newest 3 items, newest first, with links, without any chat token', async () => {
      const r = await herald(['preview', server.url('/engadget.rss')], { ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/32' });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const positions = entry.newest.map((n) => r.stdout.indexOf(n.title));
      expect(positions.every((p) => p >= 0), r.stdout).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const n of entry.newest) expect(r.stdout).toContain(n.link);
      expect(r.stdout).toMatch(/^1\. /m);
      expect(r.stdout).not.toMatch(/^4\. /m);
      expect(r.stdout).not.toMatch(/<[a-z][^>]*>/i); // plain text: no HTML left in the snippets
    });

    it('refuses a private address unless ALLOWED_PRIVATE_NETWORKS allows it', async () => {
      const r = await herald(['preview', server.url('/engadget.rss')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Refused/);
      expect(r.stdout).toBe('');
    });

    it('explains a missing URL', async () => {
      const r = await herald(['preview']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Usage: herald preview');
    });
  });

  describe('preview output', () => {
    let server: FeedServer;
    // ESC ] 0 retitles the terminal, ESC ] 52 writes the clipboard, ESC [ 2J clears; U+009B is 8-bit CSI.
    const hostile = 'Evil \u001b]0;pwned\u0007title \u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m end';
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Preview Feed</title><link>https://example.com/</link>
<item><title>Secure image</title><link>https://example.com/1</link><guid>g1</guid><pubDate>Mon, 05 Jan 2026 12:00:00 GMT</pubDate>
<category>Alpha</category><category>Beta</category><enclosure url="https://img.example.com/a.jpg" type="image/jpeg" length="1"/></item>
<item><title>Plain image</title><link>https://example.com/2</link><guid>g2</guid><pubDate>Tue, 06 Jan 2026 12:00:00 GMT</pubDate>
<enclosure url="http://img.example.com/b.jpg" type="image/jpeg" length="1"/></item>
<item><title>${hostile}</title><link>https://example.com/3</link><guid>g3</guid><pubDate>Wed, 07 Jan 2026 12:00:00 GMT</pubDate>
<description>Body \u0007 text</description></item>
</channel></rss>`;
    beforeAll(async () => {
      server = await new FeedServer().start();
      server.serve('/preview.rss', feed);
    });
    afterAll(async () => server.stop());
    const allowed = { ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/32' };

    it('prints usage for --help instead of treating it as a URL', async () => {
      const r = await herald(['preview', '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: herald preview <feed or site URL>');
      expect(r.stdout + r.stderr).not.toContain('is not a URL');
    });

    it('shows categories, the chosen image, a left-out http:// image, and dates in TZ', async () => {
      const r = await herald(['preview', server.url('/preview.rss')], { ...allowed, TZ: 'Asia/Tokyo' });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Categories: Alpha, Beta');
      expect(r.stdout).toContain('Image: https://img.example.com/a.jpg');
      expect(r.stdout).toContain('Image left out: http://img.example.com/b.jpg (Discord and Slack show only https:// images)');
      expect(r.stdout).toContain('5 Jan 2026, 21:00 GMT+9');
      const utc = await herald(['preview', server.url('/preview.rss')], { ...allowed, TZ: 'UTC' });
      expect(utc.stdout).toContain('5 Jan 2026, 12:00 UTC');
    });

    it('strips terminal controls (ESC, BEL, C1) that come from the feed', async () => {
      const r = await herald(['preview', server.url('/preview.rss')], allowed);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Evil ]0;pwnedtitle ]52;c;ZXZpbA==[2J31m end');
      // eslint-disable-next-line no-control-regex -- no terminal control character may get through
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    });

    it('tells the operator which setting allows a private address', async () => {
      const r = await herald(['preview', server.url('/preview.rss')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Refused: 127.0.0.1 is a loopback address');
      expect(r.stderr).toContain('ALLOWED_PRIVATE_NETWORKS=127.0.0.1/32');
    });

    it('says a 404 once', async () => {
      const r = await herald(['preview', server.url('/missing.rss')], allowed);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('answered HTTP 404. Check that the address is a feed.');
      expect(r.stderr.match(/404/g)).toHaveLength(1);
    });
  });

  describe('export and import', () => {
    let a: TempDb;
    let b: TempDb;
    beforeEach(() => {
      a = tempSqlite();
      b = tempSqlite();
    });
    afterEach(() => {
      a.cleanup();
      b.cleanup();
    });

    /** A store with one feed, two subscriptions on it, seen ids and a pending delivery. */
    async function seed(url: string) {
      const store = await createStore(url);
      const feed = await store.feeds.ensure('https://example.com/feed.xml', 1000);
      await store.feeds.update({ ...feed, title: 'Example', initialized: true });
      await store.seen.record(feed.id, ['g:2'], ['g:2', 'g:1']);
      const base = { feedId: feed.id, feedUrl: feed.url, platform: 'discord' as const, workspaceId: '200', createdBy: 'u', createdAt: 1, paused: false, state: 'active' as const };
      const sub = await store.subscriptions.add({ ...base, channelId: '301' });
      await store.subscriptions.add({ ...base, channelId: '302', createdAt: 2 });
      await store.outbox.append('discord:301', [{ id: `${sub.id}:g:3`, subscriptionId: sub.id, feedId: feed.id, seenAt: 5, attempts: 0, message: { kind: 'notice', text: 'pending' } }]);
      await store.close();
    }

    it('refuses to export a SQLite file that does not exist, unless --allow-empty', async () => {
      const missing = join(a.dir, 'typo.sqlite');
      const r = await herald(['export'], { DATABASE_URL: `sqlite://${missing}` });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`No database at ${missing}`);
      expect(r.stderr).toContain('--allow-empty');
      expect(existsSync(missing)).toBe(false);
      const empty = await herald(['export', '--allow-empty'], { DATABASE_URL: `sqlite://${missing}` });
      expect(empty.code).toBe(0);
      expect(JSON.parse(empty.stdout)).toMatchObject({ format: 'herald-backup', feeds: [], subscriptions: [] });
    });

    const withoutTime = (json: string) => ({ ...(JSON.parse(json) as Record<string, unknown>), exportedAt: undefined });

    it('moves every feed, subscription, seen id and pending delivery to another database', async () => {
      await seed(a.url);
      const exported = await herald(['export'], { DATABASE_URL: a.url });
      expect(exported.stderr).toBe('');
      expect(exported.code).toBe(0);
      expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'herald-backup', feeds: [{ title: 'Example' }], subscriptions: [{ channelId: '301' }, { channelId: '302' }] });

      const imported = await herald(['import'], { DATABASE_URL: b.url }, exported.stdout);
      expect(imported.code).toBe(0);
      expect(imported.stderr).toMatch(/1 feed\(s\), 2 subscription\(s\), 1 pending deliveries/);
      const again = await herald(['export'], { DATABASE_URL: b.url });
      expect(withoutTime(again.stdout)).toEqual(withoutTime(exported.stdout));

      // What the store already has wins: a second import adds nothing.
      const twice = await herald(['import'], { DATABASE_URL: b.url }, exported.stdout);
      expect(twice.code).toBe(0);
      expect(twice.stderr).toMatch(/0 feed\(s\), 0 subscription\(s\)/);
    });

    it('refuses a file that is not a backup, and refuses while a Herald holds the store', async () => {
      const junk = await herald(['import'], { DATABASE_URL: b.url }, '{"hello": 1}');
      expect(junk.code).toBe(1);
      expect(junk.stderr).toContain('not a Herald backup');
      const notJson = await herald(['import'], { DATABASE_URL: b.url }, 'nope');
      expect(notJson.code).toBe(1);
      expect(notJson.stderr).toContain('not valid JSON');

      await seed(a.url);
      const exported = await herald(['export'], { DATABASE_URL: a.url });
      const running = await createStore(b.url);
      const lease = await acquireLease(running.keyv); // this test process plays the running Herald
      try {
        const r = await herald(['import'], { DATABASE_URL: b.url }, exported.stdout);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`pid ${process.pid}`);
        expect(r.stderr).toContain('Stop Herald before importing');
      } finally {
        await lease.release();
        await running.close();
      }
    });
  });
});
