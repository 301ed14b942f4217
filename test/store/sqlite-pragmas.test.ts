import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';

describe('SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes ahead (WAL) so a commit costs no fsync, and still reads back after reopening', async () => {
    const url = `sqlite://${join(dir, 'herald.sqlite')}`;
    const store = await createStore(url);
    const feed = await store.feeds.ensure('https://example.com/wal.xml', 1);
    expect(existsSync(join(dir, 'herald.sqlite-wal'))).toBe(true);
    await store.close();
    const again = await createStore(url);
    expect(again.feeds.get(feed.id)?.url).toBe('https://example.com/wal.xml');
    await again.close();
  });
});
