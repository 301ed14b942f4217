// Turns DATABASE_URL into a Keyv instance. With the *-adapter.ts files and scan-prefix.ts, the only code that knows backends exist.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';

export type StoreKind = 'sqlite' | 'redis' | 'postgres';

export interface OpenKeyvOptions {
  /** Backend errors after start (lost connection, failed reconnect). Default: ignored. */
  onError?: (error: Error) => void;
  /** How long start may wait for the server before failing. */
  connectTimeoutMs?: number;
}

export function storeKind(databaseUrl: string): StoreKind {
  if (databaseUrl.startsWith('sqlite:')) return 'sqlite';
  if (/^rediss?:/.test(databaseUrl)) return 'redis';
  if (/^postgres(ql)?:/.test(databaseUrl)) return 'postgres';
  throw new Error(`DATABASE_URL: unsupported scheme in "${redactUrl(databaseUrl)}"; use sqlite://, redis:// or postgres://`);
}

/** sqlite://data/x.sqlite is relative to the working directory; sqlite:///data/x.sqlite is absolute; sqlite://:memory: is not a file. */
export function sqlitePath(databaseUrl: string): string {
  const rest = databaseUrl.replace(/^sqlite:(\/\/)?/, '');
  return rest === ':memory:' ? rest : resolve(rest);
}

/** The URL without user:password, safe to log. */
export function redactUrl(url: string): string {
  // Everything up to the last '@' goes: passwords may hold an unescaped '@' or '/',
  // and hiding a little too much beats printing part of a password.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/is, '$1***@');
}

/** Driver messages may echo the URL (e.g. "Invalid URL") or, in theory, its password. */
export function scrubUrl(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/(.*)@/is.exec(url)?.[1] ?? '';
  const raw = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : '';
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // not percent-encoded: the raw form is the password
  }
  for (const secret of [raw, decoded]) if (secret) out = out.split(secret).join('***');
  return out;
}

async function createKeyv(kind: StoreKind, databaseUrl: string, namespace: string, connectTimeoutMs: number): Promise<Keyv> {
  // throwOnErrors: by default Keyv turns a failed write into `false` and a failed read
  // into "not found", which would silently lose subscriptions; callers must see errors.
  const common = { namespace, throwOnErrors: true };
  if (kind === 'sqlite') {
    const path = sqlitePath(databaseUrl);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const { AtomicKeyvSqlite } = await import('./sqlite-adapter.js');
    // busyTimeout: a backup tool reading the file must not make our writes fail
    const store = new AtomicKeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5000 });
    if (path !== ':memory:') {
      // Every delivery is written before it is sent and removed after, so commit cost sets the
      // delivery pace. WAL with synchronous=NORMAL skips the fsync per commit yet survives a
      // killed process; a power cut can only drop the newest commits, in order, which at worst
      // repeats a post (a poll's deliveries and seen ids are one commit, store.commitPoll).
      await store.query('PRAGMA journal_mode=WAL');
      await store.query('PRAGMA synchronous=NORMAL');
    }
    return new Keyv({ store, ...common });
  }
  if (kind === 'redis') {
    const { openRedisAdapter } = await import('./redis-adapter.js');
    // useKeyPrefix false: the adapter prefixes `namespace::key` itself.
    return new Keyv({ store: await openRedisAdapter(databaseUrl, connectTimeoutMs), ...common, useKeyPrefix: false });
  }
  const { PooledKeyvPostgres } = await import('./postgres-adapter.js');
  return new Keyv({ store: new PooledKeyvPostgres({ uri: databaseUrl, connectionTimeoutMillis: connectTimeoutMs }), ...common });
}

/** Opens and probes the store; any failure names DATABASE_URL and never prints its password. */
export async function openKeyv(databaseUrl: string, namespace = 'herald', opts: OpenKeyvOptions = {}): Promise<Keyv> {
  const kind = storeKind(databaseUrl);
  let keyv: Keyv | undefined;
  let started = false;
  try {
    keyv = await createKeyv(kind, databaseUrl, namespace, opts.connectTimeoutMs ?? 5000);
    // Keyv emits 'error' for connection problems; unhandled, one would crash the process.
    // During start the probe below throws the same error, so report only later ones.
    keyv.on('error', (error: unknown) => {
      if (started) opts.onError?.(new Error(scrubUrl(errorText(error), databaseUrl)));
    });
    // Fail fast at start rather than on the first poll.
    await keyv.get('schema:version');
    started = true;
    return keyv;
  } catch (error) {
    await keyv?.disconnect().catch(() => undefined);
    // A fresh Error without `cause`: driver errors can carry the URL in their fields,
    // and loggers print those.
    throw new Error(`DATABASE_URL (${redactUrl(databaseUrl)}): cannot open the ${kind} store: ${scrubUrl(errorText(error), databaseUrl)}`);
  }
}

function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return error.errors.map(errorText).join('; ');
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
