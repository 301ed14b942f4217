// @keyv/sqlite with an atomic setMany. The stock adapter has none, so Keyv falls back to
// one INSERT per key in parallel: a crash part-way would keep some keys and not others.
// A poll's deliveries for every channel and the feed's seen ids must land together
// (commitPoll in poll-commit.ts), so the whole batch is ONE statement, which SQLite commits
// as a whole. The rows travel as one JSON parameter unpacked by json_each (as the stock
// getMany does), so no bound-variable limit splits a large batch into several statements.
import KeyvSqlite from '@keyv/sqlite';

export class AtomicKeyvSqlite extends KeyvSqlite {
  async setMany(entries: { key: string; value: unknown }[]): Promise<void> {
    if (!entries.length) return;
    const rows = JSON.stringify(entries.map((e) => [e.key, e.value]));
    // `WHERE true`: SQLite needs it to parse an upsert whose rows come from a SELECT.
    await this.query(
      `INSERT INTO ${this.opts.table} (key, value)
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true
       ON CONFLICT(key) DO UPDATE SET value=excluded.value`,
      rows,
    );
  }
}
