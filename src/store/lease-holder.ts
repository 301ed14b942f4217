// Who holds the instance lease, and when a start may take it over without waiting.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LeaseHolder {
  hostname: string;
  pid: number;
  /** Epoch ms when the process started: tells a restarted pid 1 from the one before. */
  startedAt: number;
  /** Linux boot id: a holder from before a reboot is gone whatever its pid. */
  bootId?: string;
}

export interface LeaseValue {
  holder: LeaseHolder;
  token: string;
  expiresAt: number;
}

let me: LeaseHolder | undefined;

export function thisProcess(): LeaseHolder {
  if (!me) {
    let bootId: string | undefined;
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      // not Linux: the pid and startedAt checks still apply
    }
    me = { hostname: hostname(), pid: process.pid, startedAt: Math.round(performance.timeOrigin), bootId };
  }
  return me;
}

export function isLeaseValue(v: unknown): v is LeaseValue {
  const x = v as Partial<LeaseValue> | undefined;
  const h = x?.holder;
  return typeof x?.token === 'string' && typeof x.expiresAt === 'number' && typeof h?.hostname === 'string' && Number.isInteger(h.pid) && typeof h.startedAt === 'number';
}

function processGone(pid: number): boolean {
  if (pid <= 0) return true; // kill(0) or kill(-n) would probe a process group, not a holder
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is still running
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Why `me` may take the lease now, or undefined if `current` still holds it.
 * Restarts must not wait out the TTL: a holder on this host whose process is gone, or an
 * earlier run of this very process (same host and pid, e.g. pid 1 after a container
 * restart), is taken over at once. "This host" means the same hostname, which assumes each
 * instance has its own (the default for containers; set distinct ones if you pin them).
 */
export function takeoverReason(current: LeaseValue | undefined, me: LeaseHolder, now: number): string | undefined {
  if (!current) return 'free';
  if (current.expiresAt <= now) return 'expired';
  const h = current.holder;
  if (h.hostname !== me.hostname) return undefined;
  if (h.pid === me.pid) return h.startedAt !== me.startedAt ? 'it was an earlier run of this process (same host and pid)' : undefined;
  if (h.bootId && me.bootId && h.bootId !== me.bootId) return 'its holder ran on this host before a reboot';
  if (processGone(h.pid)) return `its holder (pid ${h.pid}) on this host has exited`;
  return undefined;
}

export function leaseHeldMessage(holder: LeaseHolder, expiresAt: number, now: number): string {
  const inSeconds = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  return (
    `Another Herald instance is using this store: pid ${holder.pid} on host "${holder.hostname}", started ${new Date(holder.startedAt).toISOString()}. ` +
    `Its lease expires at ${new Date(expiresAt).toISOString()} (in ${inSeconds}s) unless it keeps running. ` +
    'Stop that instance, or if it has crashed, start again once its lease has expired.'
  );
}
