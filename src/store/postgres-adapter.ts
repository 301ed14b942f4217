// @keyv/postgres with a connection pool per adapter instead of its module-wide one.
// The stock adapter shares one pg.Pool between every instance with the same URI and
// ends it on the first disconnect(), which breaks the other instances (two stores on
// one database, a backup copied between namespaces); with different URIs it drops the
// old pool without ending it, so the process never exits. It also leaves the pool's
// 'error' event unhandled, so a PostgreSQL restart would crash Herald.
import KeyvPostgres, { type KeyvPostgresOptions } from '@keyv/postgres';
import pg from 'pg';

type Query = Awaited<ReturnType<KeyvPostgres['connect']>>;

export class PooledKeyvPostgres extends KeyvPostgres {
  // `declare`: the base constructor calls connect() before subclass fields would be
  // initialised, and a field initialiser would then overwrite the pool with undefined.
  declare private pool: pg.Pool | undefined;
  declare private ended: Promise<void> | undefined;

  constructor(options: KeyvPostgresOptions & { uri: string }) {
    super(options);
  }

  override async connect(): Promise<Query> {
    const { uri, connectionTimeoutMillis = 5000, max = 5 } = this.opts;
    const pool = new pg.Pool({ connectionString: uri, connectionTimeoutMillis, max });
    // Idle clients report server restarts here; Keyv forwards it to Herald's error handler.
    pool.on('error', (error) => this.emit('error', error));
    this.pool = pool;
    return async (sql: string, values?: unknown[]) => (await pool.query(sql, values)).rows;
  }

  override async disconnect(): Promise<void> {
    // pg throws if end() is called twice; close() may be called by several owners.
    this.ended ??= this.pool?.end() ?? Promise.resolve();
    await this.ended;
  }
}
