// A private redis-server for one bench run, on a free loopback port (never a developer's
// Redis on 6379), without persistence; stopped at the end, so the bench leaves nothing behind.
import { spawn, spawnSync } from 'node:child_process';
import { answers, freePort } from '../../test/support/net.js';
import { killOnExit } from './proc.js';

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
