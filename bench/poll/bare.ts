// The baseline, run as a process of its own: a bare undici loop sending the same conditional
// GETs as Herald (same headers, same 20 hosts, 2 connections per host as FETCH_PER_HOST gives
// Herald) at the same rate Herald polled, released every 100 ms (Herald's own wake-up grain,
// so both batch alike). After `--warm-s` it measures its own CPU (getrusage: the same utime +
// stime /proc shows) over `--measure-s`; then, for reference, the same requests as fast as it
// can (`--saturated` of them, 40 at once), where undici's cost per request is lowest.
// Prints one JSON line {requests, cpuMs, saturatedCpuMs, saturated, failed}.
// Usage: bare.ts --port=P --feeds=N --rate=R --warm-s=W --measure-s=M --saturated=K
import { Agent } from 'undici';
import { ACCEPT } from '../../src/core/fetch/undici-fetcher.js';
import { USER_AGENT } from '../../src/version.js';
import { etagFor, HOSTS } from './feeds.js';

const arg = (name: string) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]);
const [port, feeds, rate, warmS, measureS, saturated] = [arg('port'), arg('feeds'), arg('rate'), arg('warm-s'), arg('measure-s'), arg('saturated') || 0];
const agent = new Agent({ connections: 2, keepAliveTimeout: 30_000 });
const headers = { accept: ACCEPT, 'user-agent': USER_AGENT, 'accept-encoding': 'gzip, deflate, br' };
let next = 0;
let failed = 0;

async function one(i: number) {
  try {
    const res = await agent.request({ origin: `http://${HOSTS[i % HOSTS.length]}:${port}`, path: `/f/${i}`, method: 'GET', headers: { ...headers, 'if-none-match': etagFor(i, 1) } });
    await res.body.dump();
    if (res.statusCode !== 304) failed++;
  } catch {
    failed++;
  }
}

/** Sends `rate` requests per second for `seconds`, on a 100 ms grain. */
async function paced(seconds: number): Promise<number> {
  const start = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; sent < due; sent++) {
      const p = one(next++ % feeds).then(() => void inFlight.delete(p));
      inFlight.add(p);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(inFlight);
  return sent;
}

async function main() {
  await paced(warmS); // connections and JIT
  const u0 = process.cpuUsage();
  const requests = await paced(measureS);
  const u = process.cpuUsage(u0);
  const s0 = process.cpuUsage();
  let left = saturated;
  await Promise.all(Array.from({ length: HOSTS.length * 2 }, async () => {
    while (left-- > 0) await one(next++ % feeds);
  }));
  const s = process.cpuUsage(s0);
  await agent.close();
  console.log(JSON.stringify({ requests, cpuMs: (u.user + u.system) / 1000, saturated, saturatedCpuMs: (s.user + s.system) / 1000, failed }));
}

// Bounded: warm-up, window and the saturated run, with a minute to spare.
setTimeout(() => (console.error('bare loop: out of time'), process.exit(1)), (warmS + measureS + 60) * 1000).unref();
void main();
