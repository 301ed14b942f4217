// Measuring a process from outside, as an operator would, through Linux's /proc: CPU time
// (utime + stime, plus that of reaped children) and peak resident memory (VmHWM), summed
// over the process and every process under it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime + cutime + cstime, in ms. */
  cpuMs: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const f = text.slice(close + 2).split(' '); // f[0] is field 3 (state)
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    return { pid, ppid: Number(f[1]), comm, cpuMs: (ticks * 1000) / CLK_TCK };
  } catch {
    return undefined; // gone
  }
}

/** Every live process under `pid` (not `pid` itself). */
export function descendants(pid: number): Stat[] {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => stat(Number(d))).filter((s): s is Stat => !!s);
  const out: Stat[] = [];
  const walk = (p: number) => {
    for (const s of all) {
      if (s.ppid !== p) continue;
      out.push(s);
      walk(s.pid);
    }
  };
  walk(pid);
  return out;
}

const tree = (pid: number) => [stat(pid), ...descendants(pid)].filter((s): s is Stat => !!s);

/** CPU ms used so far by `pid` and everything under it. */
export const cpuMs = (pid: number): number => tree(pid).reduce((n, s) => n + s.cpuMs, 0);

/** Peak RSS (VmHWM) in MB of `pid` plus that of every process under it. */
export function peakRssMb(pid: number): number {
  let kb = 0;
  for (const s of tree(pid)) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${s.pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return Math.round(kb / 1024);
}

/** Children a bench started; SIGKILLed if the bench exits first (its time limit, a crash). */
const started = new Set<{ kill(signal: NodeJS.Signals): boolean; exitCode: number | null; signalCode: NodeJS.Signals | null }>();
process.on('exit', () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
export function killOnExit<T extends { kill(signal: NodeJS.Signals): boolean; exitCode: number | null; signalCode: NodeJS.Signals | null; once(event: 'exit', f: () => void): unknown }>(child: T): T {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}
