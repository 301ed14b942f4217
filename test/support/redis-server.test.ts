// The private redis-server every Redis test file gets: its own data, gone when stopped, and
// its pid left in the run folder until then, so the global teardown can kill a leftover.
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { describeNeeds } from './needs.js';
import { answers } from './net.js';
import { redisMissing, RUN_DIR_ENV, startRedisServer } from './redis-server.js';

// Other test files run their own servers meanwhile: look only at these two.
const pidFile = (pid: number) => `${process.env[RUN_DIR_ENV]}/redis-${pid}.pid`;

describeNeeds(redisMissing, 'a private redis-server per test file', () => {
  it('keeps two servers apart, records its pid while it runs, and is gone after stop()', async () => {
    const [a, b] = await Promise.all([startRedisServer(), startRedisServer()]);
    expect(a.port).not.toBe(b.port);
    for (const s of [a, b]) expect(existsSync(pidFile(s.pid))).toBe(true);
    const ra = new Redis(a.url(), { lazyConnect: true });
    const rb = new Redis(b.url(), { lazyConnect: true });
    try {
      await ra.set('k', 'from a');
      expect(await rb.get('k')).toBeNull();
      expect(await ra.get('k')).toBe('from a');
    } finally {
      ra.disconnect();
      rb.disconnect();
    }
    await Promise.all([a.stop(), b.stop()]);
    expect(await answers(a.port)).toBe(false);
    expect(await answers(b.port)).toBe(false);
    for (const s of [a, b]) expect(existsSync(pidFile(s.pid))).toBe(false);
  });
});
