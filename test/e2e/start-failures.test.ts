// Start-up failures a self-hoster meets while fixing config: each names the setting to change,
// and none leaves the instance lease behind for the next attempt to take over.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHerald } from '../../src/app.js';
import { parseConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { createStore } from '../../src/store/index.js';
import { LEASE_KEY } from '../../src/store/lease.js';
import { runHerald, tempSqlite, type TempDb } from './harness.js';
import { spawnHerald } from './subprocess.js';

const TOKEN = 'discord-secret-token-0123456789';

/** A Discord API that refuses every token, as Discord does with 401. */
async function refusingDiscord(): Promise<Server> {
  const s = createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"message":"401: Unauthorized","code":0}');
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}
const apiOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/api`;
/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function leaseLeft(url: string): Promise<unknown> {
  const store = await createStore(url);
  try {
    return await store.keyv.get(LEASE_KEY);
  } finally {
    await store.close();
  }
}

describe('start-up failures', () => {
  let db: TempDb;
  let discord: Server;
  beforeEach(async () => {
    db = tempSqlite();
    discord = await refusingDiscord();
  });
  afterEach(async () => {
    discord.closeAllConnections();
    await new Promise((r) => discord.close(r));
    db.cleanup();
  });

  it('a refused Discord token names DISCORD_TOKEN and releases the lease', async () => {
    await expect(runHerald({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: apiOf(discord), DATABASE_URL: db.url })).rejects.toThrow('Discord refused DISCORD_TOKEN (401 Unauthorized)');
    expect(await leaseLeft(db.url)).toBeUndefined();
  });

  it('an unreachable DISCORD_API_URL names the setting and the address, and releases the lease', async () => {
    const api = `http://127.0.0.1:${await closedPort()}/api`;
    const err = await runHerald({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: api, DATABASE_URL: db.url }).catch((e: Error) => e);
    expect((err as Error).message).toContain(`DISCORD_API_URL=${api}`);
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect(await leaseLeft(db.url)).toBeUndefined();
  });

  it('a PORT in use names PORT', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as AddressInfo;
    try {
      await expect(runHerald({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: apiOf(discord), DATABASE_URL: db.url, PORT: String(port) })).rejects.toThrow(`PORT=${port} is already in use`);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('HOST chooses the interface, and a HOST not on this machine is named', async () => {
    const logger = createLogger('silent');
    const base = { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: apiOf(discord), DATABASE_URL: db.url, PORT: '0' };
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: listen() fails before any traffic.
    await expect(startHerald(parseConfig({ ...base, HOST: '192.0.2.1' }), { logger })).rejects.toThrow(/HOST=192\.0\.2\.1 is not an address of this machine/);
    // Bound to loopback only; the start then fails at Discord, which closes the server again.
    const err = await startHerald(parseConfig({ ...base, HOST: '127.0.0.1' }), { logger }).catch((e: Error) => e);
    expect((err as Error).message).toContain('DISCORD_TOKEN');
    expect(await leaseLeft(db.url)).toBeUndefined();
  });

  it('npm start: a retry after a failed start does not have to take over a lease', { timeout: 60_000 }, async () => {
    const env = { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: apiOf(discord), DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'debug' };
    for (let attempt = 0; attempt < 2; attempt++) {
      const p = spawnHerald(env);
      expect((await p.exited).code).toBe(1);
      expect(p.output()).toContain('Herald failed to start: Discord refused DISCORD_TOKEN (401 Unauthorized)');
      expect(p.output()).not.toContain('Taking over the instance lease');
      expect(p.output()).not.toContain(TOKEN);
    }
  });
});
