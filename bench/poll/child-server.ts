// Starts bench/poll/server.ts in its own process and returns its origin.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function startServer(): Promise<{ origin: string; stop(): void }> {
  const script = fileURLToPath(new URL('./server.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.trim());
    });
    child.once('exit', (code) => reject(new Error(`feed server exited (${code})`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () => {
      child.stdin!.end();
      child.kill();
    },
  };
}
