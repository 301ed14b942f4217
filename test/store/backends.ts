// Where store tests run: SQLite always; Redis and PostgreSQL on loopback when their server
// answers. Locally a missing server skips its tests with a warning; with CI=true it fails.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import pg from 'pg';
import { describe, it } from 'vitest';
import type { StoreKind } from '../../src/store/open-keyv.js';
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from '../support/services.js';

export const CI = process.env.CI === 'true';
// The suite's private redis-server and PostgreSQL database (test/support/global-services.ts).
export const REDIS_URL = TEST_REDIS_URL ?? 'redis://127.0.0.1:0';
export const POSTGRES_URL = TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/herald_test_missing';

/** Every key this test file writes starts with this, so cleanup can find them all. */
const RUN = `herald-test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
let counter = 0;

export interface Backend {
  kind: StoreKind;
  url: string;
  /** Why the server cannot be used here; undefined when it can. */
  missing?: string;
  /** A namespace no other test (or test run) uses. */
  namespace(): string;
  /** Deletes everything written under this run's namespaces. */
  cleanup(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

const namespace = () => `${RUN}-${++counter}`;

export function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'herald-store-'));
  return { kind: 'sqlite', url: `sqlite://${join(dir, 'store.sqlite')}`, namespace, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function redisBackend(): Promise<Backend> {
  const up = TEST_REDIS_URL !== undefined && (await answers(Number(new URL(REDIS_URL).port)));
  const cleanup = async () => {
    if (!up) return;
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    let cursor = '0';
    do {
      const page = await client.scan(cursor, { MATCH: `${RUN}*`, COUNT: 1000 });
      if (page.keys.length) await client.unlink(page.keys);
      cursor = page.cursor;
    } while (cursor !== '0');
    await client.close();
  };
  return { kind: 'redis', url: REDIS_URL, missing: up ? undefined : `nothing answers on ${REDIS_URL}`, namespace, cleanup };
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
  return { kind: 'postgres', url: POSTGRES_URL, missing: up ? undefined : `nothing answers on ${POSTGRES_URL}`, namespace, cleanup };
}

export async function allBackends(): Promise<Backend[]> {
  return [sqliteBackend(), await redisBackend(), await postgresBackend()];
}

/**
 * describe() for one backend: runs when the server is there; otherwise warns and skips,
 * or, with CI=true, registers one failing test so a missing service cannot pass unseen.
 */
export function describeBackend(backend: Backend, title: string, body: () => void): void {
  const name = `${title} [${backend.kind}]`;
  if (!backend.missing) {
    describe(name, body);
  } else if (CI) {
    describe(name, () => {
      it(`needs ${backend.kind} (required when CI=true)`, () => {
        throw new Error(`${backend.missing}; .ci/run starts it`);
      });
    });
  } else {
    console.warn(`NOTICE: skipping ${name}: ${backend.missing}. Start it (see .ci/run) to run these tests.`);
    describe.skip(name, body);
  }
}
