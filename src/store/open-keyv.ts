// Turns DATABASE_URL into a Keyv instance. The only file that knows backends exist.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';

export type StoreKind = 'sqlite' | 'redis' | 'postgres';

export function storeKind(databaseUrl: string): StoreKind {
  if (databaseUrl.startsWith('sqlite:')) return 'sqlite';
  if (/^rediss?:/.test(databaseUrl)) return 'redis';
  if (/^postgres(ql)?:/.test(databaseUrl)) return 'postgres';
  throw new Error(`DATABASE_URL: unsupported scheme in "${redactUrl(databaseUrl)}"; use sqlite://, redis:// or postgres://`);
}

/** sqlite://data/x.sqlite is relative to the working directory; sqlite:///data/x.sqlite is absolute. */
export function sqlitePath(databaseUrl: string): string {
  const rest = databaseUrl.replace(/^sqlite:\/\//, '');
  return resolve(rest);
}

/** The URL without user:password, safe to log. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

export async function openKeyv(databaseUrl: string, namespace = 'herald'): Promise<Keyv> {
  const kind = storeKind(databaseUrl);
  let keyv: Keyv;
  if (kind === 'sqlite') {
    const path = sqlitePath(databaseUrl);
    mkdirSync(dirname(path), { recursive: true });
    const { default: KeyvSqlite } = await import('@keyv/sqlite');
    // busyTimeout: a backup tool reading the file must not make our writes fail
    keyv = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5000 }), namespace });
  } else if (kind === 'redis') {
    const { default: KeyvRedis } = await import('@keyv/redis');
    keyv = new Keyv({ store: new KeyvRedis(databaseUrl), namespace, useKeyPrefix: false });
  } else {
    const { default: KeyvPostgres } = await import('@keyv/postgres');
    keyv = new Keyv({ store: new KeyvPostgres({ uri: databaseUrl }), namespace });
  }
  // Keyv emits 'error' for connection problems; an unhandled one would crash the process.
  keyv.on('error', () => undefined);
  // Fail fast at start rather than on the first poll.
  await keyv.get('schema:version');
  return keyv;
}
