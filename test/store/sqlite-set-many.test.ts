// SQLite's setMany is one statement however large the batch: the rows travel as one JSON
// parameter, so no bound-variable limit splits a poll (its deliveries for every channel and
// the feed's seen ids, store.commitPoll) into statements that could commit apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createStore, type Delivery } from '../../src/store/index.js';
import type { AtomicKeyvSqlite } from '../../src/store/sqlite-adapter.js';
import { delivery } from './records.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-setmany-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('commits a batch past the bound-variable limit as a whole, or not at all', async () => {
  const url = `sqlite://${join(dir, 'big.sqlite')}`;
  const store = await createStore(url, 'big');
  await store.seen.record('f1', [], ['old']);
  const odd: Delivery = { ...delivery('odd'), message: { kind: 'notice', text: `quote ' " back \\ line\u2028 nul \u0000 🎉` } };
  // 20,000 rows: two statements' worth at two variables per row under SQLite's 32,766 limit.
  const ds = [...Array.from({ length: 19_999 }, (_, i) => delivery(`d${i}`)), odd];
  const poll = { feedId: 'f1', deliveries: [['discord:c-a', ds]] as [string, Delivery[]][], newIds: ['n1'], currentIds: ['n1', 'old'] };
  // The database itself refuses the seen row, which comes last in the batch.
  const adapter = store.keyv.store as AtomicKeyvSqlite;
  const table = adapter.opts.table;
  for (const event of ['INSERT', 'UPDATE']) {
    await adapter.query(`CREATE TEMP TRIGGER refuse_seen_${event} BEFORE ${event} ON ${table} WHEN NEW.key = 'big:seen:f1' BEGIN SELECT RAISE(ABORT, 'injected'); END`);
  }
  await expect(store.commitPoll(poll)).rejects.toThrow('injected');
  const [{ n }] = (await adapter.query(`SELECT count(*) AS n FROM ${table} WHERE key LIKE 'big:delivery:%'`)) as [{ n: number }];
  expect(n).toBe(0);

  for (const event of ['INSERT', 'UPDATE']) await adapter.query(`DROP TRIGGER refuse_seen_${event}`);
  await store.commitPoll(poll);
  await store.close();
  const again = await createStore(url, 'big');
  const listed = await again.outbox.list('discord:c-a');
  expect(listed).toHaveLength(20_000);
  expect(listed.at(-1)).toEqual(odd);
  expect(await again.seen.get('f1')).toEqual(expect.arrayContaining(['n1', 'old']));
  await again.close();
});
