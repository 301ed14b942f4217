// How every bench starts Herald: whatever `npm start` runs, read from package.json at run time,
// so the benches follow a change of the start script (tsx today, compiled JS later) by
// themselves. `prestart` and the steps before the last `&&` (a build) run once, through the
// shell; the last step, when it is `node …`, is spawned directly so the measured process is
// Herald's node itself, not npm. Any other start script is run as `npm start` and the node
// process under it is measured. Herald's output is kept bounded (the last 64 KB).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { heraldEnv, isStartLine, ROOT, type LogLine } from '../../test/e2e/subprocess.js';
import { descendants, killOnExit } from './proc.js';

interface Start {
  /** Shell commands run once before the first start (prestart, build steps). */
  pre: string[];
  /** Arguments after `node` for the process itself; undefined: run `npm start`. */
  nodeArgs: string[] | undefined;
  /** For the report: the start script as written. */
  script: string;
}

/** BENCH_START overrides the start script, to compare (e.g. 'npm run build && node dist/src/main.js'). */
export function startCommand(): Start {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = process.env.BENCH_START || scripts.start;
  if (!script) throw new Error('package.json has no start script');
  const steps = script.split('&&').map((s) => s.trim());
  const last = steps.pop()!;
  const pre = [...(scripts.prestart && !process.env.BENCH_START ? ['npm run prestart --silent'] : []), ...steps];
  // Plain `node <args>` without shell syntax: spawn it directly.
  const nodeArgs = /^node\s/.test(last) && !/[|;<>$`"']/.test(last) ? last.split(/\s+/).slice(1) : undefined;
  return { pre, nodeArgs, script };
}

let prepared = false;
/** Runs the start script's earlier steps (a build) once per bench run. */
export function prepareStart(extraNodeArgs: string[] = []): Start {
  const s = startCommand();
  if (!prepared) {
    for (const cmd of s.pre) {
      process.stderr.write(`bench: running "${cmd}" (from the start script)\n`);
      // As npm runs a script: the project's node_modules/.bin first on the PATH.
      const env = { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
      const r = spawnSync(cmd, { cwd: ROOT, shell: true, env, stdio: ['ignore', 2, 2] });
      if (r.status !== 0) throw new Error(`"${cmd}" failed (${r.status})`);
    }
    prepared = true;
  }
  if (extraNodeArgs.length && !s.nodeArgs) throw new Error(`cannot add node flags to start script "${s.script}"`);
  return s;
}

export interface Herald {
  child: ChildProcess;
  /** The pid to measure: Herald's node process (the child itself, or the node under npm). */
  pid(): number;
  port: number;
  logs: LogLine[];
  tail(): string;
  /** The first 4 KB of its output (where node prints the inspector URL). */
  head(): string;
  stop(): Promise<void>;
}

/** Starts Herald as `npm start` would, waits for its start line (bounded), returns it. */
export async function startHerald(env: Record<string, string>, o: { nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<Herald> {
  const s = prepareStart(o.nodeArgs ?? []);
  const child = killOnExit(s.nodeArgs
    ? spawn(process.execPath, [...(o.nodeArgs ?? []), ...s.nodeArgs], { cwd: ROOT, env: heraldEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('npm', ['start', '--silent'], { cwd: ROOT, env: heraldEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let partial = '';
  const logs: LogLine[] = [];
  let head = '';
  const keep = (t: string) => {
    if (head.length < 4096) head += t.slice(0, 4096 - head.length);
    out = (out + t).slice(-65_536);
  };
  child.stdout!.on('data', (b: Buffer) => {
    keep(b.toString());
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) {
      try {
        const line = JSON.parse(p) as LogLine;
        // Only what the bench reads: the start line and warnings or worse (bounded).
        if (logs.length < 1000 && (isStartLine(line) || (line.level ?? 0) >= 40)) logs.push(line);
      } catch {
        /* not JSON */
      }
    }
  });
  child.stderr!.on('data', (b: Buffer) => keep(b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const timeoutMs = o.timeoutMs ?? 60_000;
  const started = Date.now();
  while (!logs.some(isStartLine)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Herald exited during start-up:\n${out.slice(-3000)}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`Herald not started after ${timeoutMs} ms:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(logs.find(isStartLine)!.port);
  const pid = () => (s.nodeArgs ? child.pid! : (descendants(child.pid!).find((p) => p.comm === 'node')?.pid ?? child.pid!));
  return {
    child,
    pid,
    port,
    logs,
    tail: () => out.slice(-3000),
    head: () => head,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // Herald gives itself 9 s to shut down; past 15 s it is killed.
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}
