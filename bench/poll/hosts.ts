// Starts bench/poll/server.ts in its own process and returns the port all 20 hosts share,
// with the per-feed poll counts it keeps (see server.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killOnExit } from '../lib/proc.js';
import { HOSTS } from './feeds.js';

export interface PollStats {
  counts: number[];
  meanIntervalMs: number[];
  full: number;
  notModified: number;
}

export interface Hosts {
  port: number;
  pid: number;
  /** Starts a new counting window. */
  mark(): Promise<void>;
  stats(): Promise<PollStats>;
  stop(): void;
}

export async function startHosts(feeds: number): Promise<Hosts> {
  const script = fileURLToPath(new URL('./server.ts', import.meta.url));
  const child = killOnExit(spawn(process.execPath, ['--import', 'tsx', script, `--feeds=${feeds}`], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(Number(buf.trim()));
    });
    child.once('exit', (code) => reject(new Error(`feed hosts exited (${code})`)));
  });
  const base = `http://${HOSTS[0]}:${port}`;
  return {
    port,
    pid: child.pid!,
    mark: async () => void (await fetch(`${base}/stats/mark`)).arrayBuffer(),
    stats: async () => (await (await fetch(`${base}/stats`)).json()) as PollStats,
    stop: () => {
      child.stdin.end();
      child.kill();
    },
  };
}
