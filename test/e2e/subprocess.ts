// Runs Herald as a real process, as `npm start` does (`node --import ./scripts/prestart.mjs
// dist/src/main.js`: compiled JavaScript, rebuilt first only if the sources changed; vitest's
// globalSetup has built it already) and collects its JSON log lines, for tests of signals,
// exit codes and what reaches the logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../fakes/http-util.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LogLine {
  msg?: string;
  level?: number;
  [key: string]: unknown;
}

export interface HeraldProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  logs(): LogLine[];
  waitForLog(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (or signal name) and ms since `since`. */
  exited: Promise<{ code: number | null; signal: string | null; at: number }>;
}

/** Isolated from the developer's own .env and config/herald.json, and from vitest's variables. */
export function heraldEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const cfgDir = mkdtempSync(join(tmpdir(), 'herald-proc-'));
  writeFileSync(join(cfgDir, 'herald.json'), '{}');
  return { PATH: process.env.PATH, HOME: process.env.HOME, HERALD_DOTENV: 'false', HERALD_CONFIG: join(cfgDir, 'herald.json'), ...env };
}

export function spawnHerald(env: Record<string, string>, args = ['--import', './scripts/prestart.mjs', 'dist/src/main.js']): HeraldProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: heraldEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const lines: LogLine[] = [];
  let partial = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    partial += b.toString();
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as LogLine);
      } catch {
        lines.push({ msg: p });
      }
    }
  });
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((res) => child.on('exit', (code, signal) => res({ code, signal, at: Date.now() })));
  return {
    child,
    output: () => out,
    logs: () => lines,
    waitForLog: (match, timeoutMs = 20_000) => waitFor(() => lines.find(match), timeoutMs, 'a log line').catch((err: Error) => {
      throw new Error(`${err.message}; output so far:\n${out.slice(-3000)}`);
    }),
    exited,
  };
}

/** The one startup line ("Herald x started: ..."), which also carries the bound port. */
export const isStartLine = (l: LogLine) => typeof l.msg === 'string' && /^Herald \S+ started/.test(l.msg);

/** Still running (neither exited nor killed by a signal). */
export const alive = (p: HeraldProcess): boolean => p.child.exitCode === null && p.child.signalCode === null;

/** Teardown of multi-process tests: SIGKILL what still runs and wait until every one has gone. */
export async function killAll(procs: HeraldProcess[]): Promise<void> {
  for (const p of procs) if (alive(p)) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
}

/**
 * The teardown every multi-process cluster test shares: the processes first (so none talks
 * to a stopped fake), then the fakes, then the test's Redis db is flushed and let go.
 */
export async function tearDownCluster(o: {
  procs: HeraldProcess[];
  fakes: ({ stop(): Promise<unknown> } | undefined)[];
  redis: { flushdb(): Promise<unknown>; disconnect(): void } | undefined;
}): Promise<void> {
  await killAll(o.procs);
  for (const f of o.fakes) await f?.stop();
  await o.redis?.flushdb();
  o.redis?.disconnect();
}
