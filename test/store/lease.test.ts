// The instance lease on every backend: refuse a live holder, take over dead or expired ones at once.
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type Keyv from 'keyv';
import { afterAll, afterEach, expect, it } from 'vitest';
import { acquireLease, LEASE_KEY, LeaseHeldError, thisProcess, type Lease, type LeaseHolder } from '../../src/store/lease.js';
import { openKeyv } from '../../src/store/open-keyv.js';
import { allBackends, describeBackend } from './backends.js';

const backends = await allBackends();
afterAll(() => Promise.all(backends.map((b) => b.cleanup())));

const me = thisProcess();
const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
const logger = () => {
  const lines: string[] = [];
  const log = (obj: object, msg: string) => void lines.push(msg);
  return { lines, info: log, warn: log, error: log };
};

for (const backend of backends) {
  describeBackend(backend, 'instance lease', () => {
    const opened: Keyv[] = [];
    const leases: Lease[] = [];
    const open = async () => {
      const keyv = await openKeyv(backend.url, backend.namespace());
      opened.push(keyv);
      return keyv;
    };
    const acquire = async (...args: Parameters<typeof acquireLease>) => {
      const lease = await acquireLease(...args);
      leases.push(lease);
      return lease;
    };
    /** Someone else's lease, as another process would have written it. */
    const plant = (keyv: Keyv, holder: Partial<LeaseHolder>, expiresIn = 60_000) =>
      keyv.set(LEASE_KEY, { holder: { ...me, ...holder }, token: 'theirs', expiresAt: Date.now() + expiresIn });
    afterEach(async () => {
      await Promise.all(leases.splice(0).map((l) => l.release()));
      await Promise.all(opened.splice(0).map(async (k) => (await k.clear(), k.disconnect())));
    });

    it('refuses a second lease on one store, naming the holder and its expiry', async () => {
      const keyv = await open();
      const first = await acquire(keyv, { ttlMs: 20_000 });
      expect(first.holder).toEqual(me);
      const refused = await acquireLease(keyv).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(LeaseHeldError);
      const message = (refused as Error).message;
      expect(message).toContain(`pid ${me.pid} on host "${me.hostname}"`);
      expect(message).toMatch(/expires at \d{4}-\d\d-\d\dT[\d:.]+Z \(in \d+s\)/);
      expect((refused as LeaseHeldError).holder).toEqual(me);
    });

    it('takes over at once from a holder on this host whose process has exited', async () => {
      const keyv = await open();
      await plant(keyv, { pid: deadPid, startedAt: 1 });
      const log = logger();
      const lease = await acquire(keyv, { logger: log });
      expect(lease.holder).toEqual(me);
      expect(log.lines.join('\n')).toContain(`pid ${deadPid}) on this host has exited`);
    });

    it('takes over at once from an earlier run of this process (same host and pid)', async () => {
      const keyv = await open();
      await plant(keyv, { startedAt: me.startedAt - 60_000 });
      expect((await acquire(keyv)).holder).toEqual(me);
    });

    it('takes over a lease from before this host rebooted', async () => {
      const keyv = await open();
      await plant(keyv, { pid: process.ppid, bootId: 'an-earlier-boot' });
      const lease = await acquireLease(keyv, { holder: { ...me, bootId: 'this-boot' } });
      leases.push(lease);
      expect(lease.holder.bootId).toBe('this-boot');
    });

    it('refuses a live holder on this host and any holder elsewhere', async () => {
      const keyv = await open();
      await plant(keyv, { pid: process.ppid });
      await expect(acquireLease(keyv)).rejects.toThrow(`pid ${process.ppid} on host "${me.hostname}"`);
      await plant(keyv, { hostname: 'elsewhere', pid: deadPid });
      await expect(acquireLease(keyv)).rejects.toThrow(/host "elsewhere".*expires at/);
    });

    it('takes an expired lease, and ignores a malformed one', async () => {
      const keyv = await open();
      await plant(keyv, { hostname: 'elsewhere' }, -1000);
      await acquire(keyv);
      await leases.pop()?.release();
      await keyv.set(LEASE_KEY, { holder: 'garbage' });
      await acquire(keyv);
    });

    it('renews while running, so a short TTL does not free it', async () => {
      const keyv = await open();
      await acquire(keyv, { ttlMs: 300 });
      const firstExpiry = ((await keyv.get(LEASE_KEY)) as { expiresAt: number }).expiresAt;
      await sleep(700);
      expect(((await keyv.get(LEASE_KEY)) as { expiresAt: number }).expiresAt).toBeGreaterThan(firstExpiry);
      await expect(acquireLease(keyv)).rejects.toBeInstanceOf(LeaseHeldError);
    });

    it('release frees the lease once, and never deletes another holder’s', async () => {
      const keyv = await open();
      const lease = await acquireLease(keyv);
      await Promise.all([lease.release(), lease.release()]);
      const next = await acquire(keyv, { ttlMs: 60_000 });
      await lease.release();
      expect(await keyv.get(LEASE_KEY)).toMatchObject({ holder: next.holder });
    });

    it('notices when another instance took the lease, and stops renewing', async () => {
      const keyv = await open();
      const lost: LeaseHolder[] = [];
      const log = logger();
      const lease = await acquire(keyv, { ttlMs: 300, onLost: (by) => lost.push(by), logger: log });
      await plant(keyv, { hostname: 'usurper' });
      await expect.poll(() => lost.length, { timeout: 2000 }).toBe(1);
      expect(lost[0]?.hostname).toBe('usurper');
      expect(lease.lost).toBe(true);
      expect(log.lines.join('\n')).toContain('Lost the instance lease');
      await lease.release();
      expect(await keyv.get(LEASE_KEY)).toMatchObject({ token: 'theirs' });
    });
  });
}
