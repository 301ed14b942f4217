// Starts bench/poll/server.ts in its own process and returns the port all 20 hosts share.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function startHosts(): Promise<{ port: number; stop(): void }> {
  const script = fileURLToPath(new URL('./server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(Number(buf.trim()));
    });
    child.once('exit', (code) => reject(new Error(`feed hosts exited (${code})`)));
  });
  return {
    port,
    stop: () => {
      child.stdin.end();
      child.kill();
    },
  };
}
