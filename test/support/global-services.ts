// vitest globalSetup: the suite never touches a developer's own Redis or PostgreSQL data.
// Redis: every test file that needs one starts a private redis-server (redis-server.ts); here
// we only look for the binary once and make the run folder where those servers leave their
// pids, so that a server a crashed test file left behind is killed at the end.
// PostgreSQL: a database of the run's own, created here and dropped at the end.
// Both reach the test workers through the environment (forked workers inherit it). Without
// the binary or a server, the tests that need them skip with a notice (fail with CI=true).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { answers } from './net.js';
import { REDIS_BIN_ENV, RUN_DIR_ENV } from './redis-server.js';
import { POSTGRES_URL_ENV } from './services.js';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function createDatabase(): Promise<string | undefined> {
  if (!(await answers(5432))) return undefined;
  const name = `herald_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    return name;
  } catch {
    return undefined;
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** Kills every private redis-server whose pid file is still in the run folder. */
function killLeftovers(runDir: string): void {
  for (const file of readdirSync(runDir)) {
    if (!/^redis-\d+\.pid$/.test(file)) continue;
    const pid = Number(readFileSync(join(runDir, file), 'utf8'));
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(runDir, { recursive: true, force: true });
}

export default async function setup(): Promise<() => Promise<void>> {
  if (spawnSync('redis-server', ['--version']).status === 0) process.env[REDIS_BIN_ENV] = 'redis-server';
  const runDir = mkdtempSync(join(tmpdir(), 'herald-test-run-'));
  process.env[RUN_DIR_ENV] = runDir;
  const database = await createDatabase();
  if (database) process.env[POSTGRES_URL_ENV] = `postgres://postgres@127.0.0.1:5432/${database}`;
  return async () => {
    killLeftovers(runDir);
    if (!database) return;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  };
}
