// A CPU profile of a window of a running Herald, taken from outside through the inspector
// (Herald started with --inspect=127.0.0.1:0), so start-up and shutdown stay out of it, as they
// stay out of the CPU figures. Loopback only; the port is the one node printed on stderr.
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

export interface WindowProfiler {
  stop(file: string): Promise<void>;
}

export async function startProfile(output: string): Promise<WindowProfiler> {
  const url = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(output)?.[1];
  if (!url) throw new Error('no inspector URL in Herald output (started without --inspect?)');
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
  let id = 0;
  const pending = new Map<number, (r: unknown) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const n = ++id;
      const t = setTimeout(() => reject(new Error(`inspector: ${method} unanswered`)), 30_000);
      pending.set(n, (r) => (clearTimeout(t), resolve(r)));
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 1000 });
  await call('Profiler.start');
  return {
    async stop(file) {
      const r = (await call('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(r.profile));
      ws.close();
    },
  };
}
