// Loopback helpers shared by the suite's service starters.
import { connect, createServer } from 'node:net';

/** A port nothing listens on right now (the caller still retries if someone takes it first). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Whether something accepts a TCP connection on 127.0.0.1:port within timeoutMs. */
export const answers = (port: number, timeoutMs = 500) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });

/** Whether a Redis on 127.0.0.1:port answers PING with PONG (it accepts commands, not just connections). */
export const pongs = (port: number, timeoutMs = 500) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    let got = '';
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.once('connect', () => s.write('PING\r\n'));
    s.on('data', (b: Buffer) => {
      got += b.toString();
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });
