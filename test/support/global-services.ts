// vitest globalSetup: the suite never touches a developer's own Redis or PostgreSQL data.
// It starts a private redis-server on a free loopback port and creates a PostgreSQL
// database of its own, hands both to the test workers through the environment (forked
// workers inherit it), and removes both at the end. Without the binaries or a server the
// tests that need them skip with a notice (and fail with CI=true, see the suites).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect } from 'node:net';
import pg from 'pg';

export const REDIS_PORT_ENV = 'HERALD_TEST_REDIS_PORT';
export const POSTGRES_URL_ENV = 'HERALD_TEST_POSTGRES_URL';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port, timeout: 500 });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });

async function startRedis(): Promise<ChildProcess | undefined> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return undefined;
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--databases', '16'], { stdio: 'ignore' });
  // Bounded wait: 100 tries of 50 ms.
  for (let i = 0; i < 100; i++) {
    if (await answers(port)) {
      process.env[REDIS_PORT_ENV] = String(port);
      return child;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  return undefined;
}

async function createDatabase(): Promise<string | undefined> {
  if (!(await answers(5432))) return undefined;
  const name = `herald_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
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

export default async function setup(): Promise<() => Promise<void>> {
  const redis = await startRedis();
  const database = await createDatabase();
  if (database) process.env[POSTGRES_URL_ENV] = `postgres://postgres@127.0.0.1:5432/${database}`;
  return async () => {
    redis?.kill('SIGKILL');
    if (!database) return;
    const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  };
}
