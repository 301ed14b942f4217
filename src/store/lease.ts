// One Herald per store: the repositories cache everything in memory (cached-collection.ts),
// so a second instance writing the same keys would be silently overwritten. The lease is a
// key naming its holder, renewed every ttl/3; a crashed holder's lease runs out by itself.
// Keyv has no compare-and-set, so this guards against starting twice by mistake; it is not a
// consensus protocol. A holder that finds its lease taken over reports it through onLost.
import { randomUUID } from 'node:crypto';
import type Keyv from 'keyv';
import { isLeaseValue, leaseHeldMessage, takeoverReason, thisProcess, type LeaseHolder, type LeaseValue } from './lease-holder.js';

export { thisProcess, type LeaseHolder } from './lease-holder.js';

export interface LeaseLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LeaseOptions {
  /** Who we are; defaults to this process. */
  holder?: LeaseHolder;
  ttlMs?: number;
  logger?: LeaseLogger;
  /** Called once if another instance has taken the lease: this one should stop. */
  onLost?: (by: LeaseHolder) => void;
  key?: string;
}

export interface Lease {
  readonly holder: LeaseHolder;
  /** True once another instance was found holding the lease; renewing has stopped. */
  readonly lost: boolean;
  release(): Promise<void>;
}

export class LeaseHeldError extends Error {
  constructor(
    readonly holder: LeaseHolder,
    readonly expiresAt: number,
    now = Date.now(),
  ) {
    super(leaseHeldMessage(holder, expiresAt, now));
    this.name = 'LeaseHeldError';
  }
}

export const LEASE_KEY = 'instance:lease';

export async function acquireLease(keyv: Keyv, opts: LeaseOptions = {}): Promise<Lease> {
  const { ttlMs = 30_000, logger, key = LEASE_KEY } = opts;
  const me = opts.holder ?? thisProcess();
  const token = randomUUID();
  const read = async () => {
    const value: unknown = await keyv.get(key);
    return isLeaseValue(value) ? value : undefined;
  };
  // expiresAt lives in the value: SQLite and PostgreSQL do not expire keys themselves,
  // and the refusal message says when the holder's lease runs out.
  const write = () => keyv.set(key, { holder: me, token, expiresAt: Date.now() + ttlMs } satisfies LeaseValue, ttlMs);

  const current = await read();
  const reason = takeoverReason(current, me, Date.now());
  if (current && !reason) throw new LeaseHeldError(current.holder, current.expiresAt);
  if (current && reason !== 'expired') logger?.warn({ previous: current.holder, reason }, `Taking over the instance lease at once: ${reason}`);
  await write();
  // Two instances starting together may both have seen a free lease; the later write wins.
  const check = await read();
  if (check && check.token !== token) throw new LeaseHeldError(check.holder, check.expiresAt);

  let lost = false;
  let renewing: Promise<void> | undefined;
  let released: Promise<void> | undefined;
  const renew = async () => {
    try {
      const now = await read();
      if (now && now.token !== token) {
        lost = true;
        clearInterval(timer);
        logger?.error({ by: now.holder }, `Lost the instance lease to pid ${now.holder.pid} on ${now.holder.hostname}; this instance should stop`);
        opts.onLost?.(now.holder);
        return;
      }
      await write();
    } catch (error) {
      logger?.warn({ err: error }, 'Could not renew the instance lease; retrying');
    }
  };
  const timer = setInterval(() => {
    renewing ??= renew().finally(() => (renewing = undefined));
  }, Math.max(1, Math.floor(ttlMs / 3)));
  // The lease must never be what keeps a finished process alive.
  timer.unref();
  logger?.info({ holder: me, ttlMs }, 'Holding the instance lease');

  return {
    holder: me,
    get lost() {
      return lost;
    },
    release: () =>
      (released ??= (async () => {
        clearInterval(timer);
        await renewing;
        const now = await read();
        if (now?.token === token) await keyv.delete(key);
      })()),
  };
}
