// A private redis-server for one bench run, on a free loopback port (never a developer's
// Redis on 6379), without persistence; stopped at the end, so the bench leaves nothing behind.
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { killOnExit } from './proc.js';

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

export interface PrivateRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('this bench needs redis-server on the PATH');
  const port = await freePort();
  const child = killOnExit(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Bounded wait: 100 tries of 50 ms.
  for (let i = 0; i < 100; i++) {
    if (await answers(port)) {
      return {
        url: `redis://127.0.0.1:${port}`,
        pid: child.pid!,
        async stop() {
          child.kill('SIGKILL');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port}`);
}
