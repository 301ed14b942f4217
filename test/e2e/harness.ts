// Runs Herald in-process against fakes, the way `npm start` would, with a temp database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHerald, type HeraldApp, type StartOptions } from '../../src/app.js';
import { parseConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';

export interface TempDb {
  url: string;
  dir: string;
  cleanup(): void;
}

export function tempSqlite(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'herald-e2e-'));
  return { url: `sqlite://${join(dir, 'herald.sqlite')}`, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Settings as environment strings, exactly as a user would write them. */
export async function runHerald(env: Record<string, string>, opts: Omit<StartOptions, 'host' | 'logger'> = {}): Promise<HeraldApp> {
  const config = parseConfig({
    PORT: '0',
    POLL_INTERVAL: '1s',
    ALLOWED_PRIVATE_NETWORKS: '127.0.0.1/32',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...env,
  });
  return startHerald(config, { ...opts, host: '127.0.0.1', logger: createLogger(config.LOG_LEVEL, [], process.stderr as never) });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
