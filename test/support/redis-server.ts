// A private redis-server per test file: no hand-kept db numbers, no FLUSHDB of anything
// another file (or a developer) uses. globalSetup (global-services.ts) looks for the binary
// once and gives every worker a run folder; each server leaves its pid there, so the global
// teardown kills any server a crashed or timed-out test file left behind.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Missing } from './needs.js';
import { freePort, pongs } from './net.js';

export const REDIS_BIN_ENV = 'HERALD_TEST_REDIS_SERVER';
export const RUN_DIR_ENV = 'HERALD_TEST_RUN_DIR';

/** undefined when this machine can start a redis-server; see needs.ts for the skip rule. */
export const redisMissing: Missing = process.env[REDIS_BIN_ENV]
  ? undefined
  : { what: 'a redis-server binary', why: 'none is on PATH', hint: 'Install Redis (e.g. apt-get install redis-server): the suite starts a private one per test file.' };

export interface RedisServer {
  readonly port: number;
  readonly pid: number;
  /** redis://127.0.0.1:port/db: the server is this file's alone, so db 0 is as good as any. */
  url(db?: number): string;
  stop(): Promise<void>;
}

/** Bounded: a server that does not answer PING within this long is killed and the start fails. */
const START_WAIT_MS = 10_000;
const ATTEMPTS = 3; // a free port can be taken between freePort() and redis-server's bind

export async function startRedisServer(): Promise<RedisServer> {
  const bin = process.env[REDIS_BIN_ENV];
  if (!bin) throw new Error(`${redisMissing!.what} is missing: ${redisMissing!.why}`);
  let lastError = '';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = await freePort();
    const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => (gone = true));
    const runDir = process.env[RUN_DIR_ENV];
    const pidFile = runDir && child.pid ? join(runDir, `redis-${child.pid}.pid`) : undefined;
    if (pidFile) writeFileSync(pidFile, String(child.pid));
    const stop = async () => {
      if (!gone) child.kill('SIGKILL');
      await Promise.race([exited, sleep(5000)]);
      if (pidFile) rmSync(pidFile, { force: true });
    };
    const deadline = Date.now() + START_WAIT_MS;
    while (!gone && Date.now() < deadline) {
      if (await pongs(port)) return { port, pid: child.pid!, url: (db = 0) => `redis://127.0.0.1:${port}/${db}`, stop };
      await sleep(20);
    }
    await stop();
    lastError = gone ? `redis-server exited: ${stderr.trim().slice(-300)}` : `redis-server did not answer within ${START_WAIT_MS} ms`;
  }
  throw new Error(`could not start a private redis-server (${ATTEMPTS} attempts): ${lastError}`);
}
