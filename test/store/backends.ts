// Where store tests run: SQLite always; Redis on a private redis-server this test file
// starts (test/support/redis-server.ts) and PostgreSQL in the run's own database
// (test/support/global-services.ts). A missing one skips its tests with a notice; with
// CI=true it fails (test/support/needs.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreKind } from '../../src/store/open-keyv.js';
import { describeNeeds, type Missing } from '../support/needs.js';
import { answers } from '../support/net.js';
import { redisMissing, startRedisServer } from '../support/redis-server.js';
import { TEST_POSTGRES_URL } from '../support/services.js';

export { CI } from '../support/needs.js';
export const POSTGRES_URL = TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/herald_test_missing';

/** Every key this test file writes starts with this, so cleanup can find them all. */
const RUN = `herald-test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
let counter = 0;

export interface Backend {
  kind: StoreKind;
  url: string;
  /** What the server needs and why it cannot be used here; undefined when it can. */
  missing?: Missing;
  /** A namespace no other test (or test run) uses. */
  namespace(): string;
  /** Deletes everything written under this run's namespaces (stops a private server). */
  cleanup(): Promise<void>;
}

const namespace = () => `${RUN}-${++counter}`;

export function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'herald-store-'));
  return { kind: 'sqlite', url: `sqlite://${join(dir, 'store.sqlite')}`, namespace, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A private redis-server for this test file, stopped by cleanup(). */
export async function redisBackend(): Promise<Backend> {
  if (redisMissing) return { kind: 'redis', url: 'redis://127.0.0.1:0', missing: redisMissing, namespace, cleanup: async () => undefined };
  const server = await startRedisServer();
  return { kind: 'redis', url: server.url(), namespace, cleanup: () => server.stop() };
}

export async function postgresBackend(): Promise<Backend> {
  const up = TEST_POSTGRES_URL !== undefined && (await answers(5432));
  const cleanup = async () => {
    if (!up) return;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    // The table exists only once some store has opened; nothing to clean otherwise.
    await client.query(`DELETE FROM keyv WHERE key LIKE $1`, [`${RUN}%`]).catch(() => undefined);
    await client.end();
  };
  const missing: Missing = up
    ? undefined
    : { what: 'PostgreSQL on 127.0.0.1:5432', why: TEST_POSTGRES_URL ? 'it stopped answering' : 'nothing answered when the run began (or it refused CREATE DATABASE)', hint: 'Start it (see .ci/run).' };
  return { kind: 'postgres', url: POSTGRES_URL, missing, namespace, cleanup };
}

export async function allBackends(): Promise<Backend[]> {
  return [sqliteBackend(), await redisBackend(), await postgresBackend()];
}

/** describe() for one backend: runs when its server is there; see needs.ts for the rest. */
export function describeBackend(backend: Backend, title: string, body: () => void): void {
  describeNeeds(backend.missing, `${title} [${backend.kind}]`, body);
}
