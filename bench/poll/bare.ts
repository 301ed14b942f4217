// The baseline: a bare undici loop sending the same conditional GETs (same headers, same 20
// hosts, 2 connections per host as FETCH_PER_HOST gives Herald), as fast as it can.
import { Agent } from 'undici';
import { ACCEPT } from '../../src/core/fetch/undici-fetcher.js';
import { USER_AGENT } from '../../src/version.js';
import { etagFor, HOSTS } from './feeds.js';

export async function bareLoop(port: number, requests: number): Promise<{ cpuMsPer1000: number }> {
  const agent = new Agent({ connections: 2, keepAliveTimeout: 30_000 });
  const headers = { accept: ACCEPT, 'user-agent': USER_AGENT, 'accept-encoding': 'gzip, deflate, br' };
  const one = async (i: number) => {
    const res = await agent.request({ origin: `http://${HOSTS[i % HOSTS.length]}:${port}`, path: `/f/${i}`, method: 'GET', headers: { ...headers, 'if-none-match': etagFor(i, 1) } });
    await res.body.dump();
    if (res.statusCode !== 304) throw new Error(`bare: expected 304, got ${res.statusCode}`);
  };
  const drive = async (count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: HOSTS.length * 2 }, async () => {
        while (next < count) await one(next++);
      }),
    );
  };
  await drive(Math.min(1000, requests)); // warm: connections and JIT
  const u0 = process.cpuUsage();
  await drive(requests);
  const u = process.cpuUsage(u0);
  await agent.close();
  return { cpuMsPer1000: ((u.user + u.system) / 1000 / requests) * 1000 };
}
