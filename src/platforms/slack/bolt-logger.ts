// bolt, its WebClient and the Socket Mode client log through this, so their lines land in
// Herald's pino log (with its secret scrubbing) instead of on the console.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../logger.js';

function line(parts: unknown[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
}

export function boltLogger(log: Logger): BoltLogger {
  return {
    // bolt's debug output includes whole request bodies: keep it at pino's trace.
    debug: (...msg: unknown[]) => log.trace(line(msg)),
    info: (...msg: unknown[]) => log.info(line(msg)),
    warn: (...msg: unknown[]) => log.warn(line(msg)),
    error: (...msg: unknown[]) => log.error(line(msg)),
    // pino's level decides; bolt's setLevel calls are ignored on purpose.
    setLevel: () => undefined,
    getLevel: () => (log.isLevelEnabled('trace') ? LogLevel.DEBUG : LogLevel.INFO),
    setName: () => undefined,
  };
}
