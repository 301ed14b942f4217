// @keyv/sqlite with an atomic setMany. The stock adapter has none, so Keyv falls back to
// one INSERT per key in parallel: a crash part-way would keep some keys and not others.
// The outbox relies on a poll's deliveries for every channel landing together (see
// outbox-store.ts), so they go in one statement, which SQLite commits as a whole.
import KeyvSqlite from '@keyv/sqlite';

/** Rows per statement: SQLite allows 32,766 bound variables, two per row. */
const ROWS_PER_STATEMENT = 10_000;

export class AtomicKeyvSqlite extends KeyvSqlite {
  async setMany(entries: { key: string; value: unknown }[]): Promise<void> {
    for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
      const chunk = entries.slice(i, i + ROWS_PER_STATEMENT);
      const params = chunk.flatMap((e) => [e.key, e.value]);
      const rows = chunk.map(() => '(?, ?)').join(', ');
      await this.query(`INSERT INTO ${this.opts.table} (key, value) VALUES ${rows} ON CONFLICT(key) DO UPDATE SET value=excluded.value`, params);
    }
  }
}
