// FETCH_PER_HOST in one place: the schedule takes slots without waiting, the fetcher waits for
// one (a probe, a redirect), and both count against the same limit.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HostLimiter } from '../../../src/core/limits/host-slots.js';

afterEach(() => vi.useRealTimers());

describe('HostLimiter', () => {
  it('counts a scheduled poll and a waiting probe of one host against the same slots', async () => {
    const hosts = new HostLimiter(2);
    expect(hosts.tryAcquire('a.example', 0)).toBe(true); // a poll
    const probe = await hosts.acquire('a.example', 1000); // a probe: the second slot
    expect(hosts.tryAcquire('a.example', 0)).toBe(false); // full for the schedule too
    let second: (() => void) | undefined;
    void hosts.acquire('a.example', 1000).then((r) => (second = r));
    await Promise.resolve();
    expect(second).toBeUndefined();
    hosts.release('a.example'); // the poll ends: the waiting probe takes its slot over
    await Promise.resolve();
    expect(second).toBeTypeOf('function');
    expect(hosts.tryAcquire('a.example', 0)).toBe(false);
    probe();
    probe(); // a second call of one release is a no-op
    expect(hosts.tryAcquire('a.example', 0)).toBe(true);
    expect(hosts.tryAcquire('b.example', 0)).toBe(true); // hosts are separate
  });

  it('gives up waiting after the timeout and leaves no waiter behind', async () => {
    vi.useFakeTimers();
    const hosts = new HostLimiter(1);
    expect(hosts.tryAcquire('a.example', 0)).toBe(true);
    const waiting = hosts.acquire('a.example', 200);
    const failed = expect(waiting).rejects.toThrow(/timed out/);
    await vi.advanceTimersByTimeAsync(200);
    await failed;
    hosts.release('a.example');
    expect(hosts.tryAcquire('a.example', 0)).toBe(true);
  });

  it('pauses the schedule of a host, not a probe someone asked for', async () => {
    const hosts = new HostLimiter(2);
    hosts.pause('a.example', 5000);
    expect(hosts.tryAcquire('a.example', 1000)).toBe(false);
    expect(hosts.pausedUntil('a.example', 1000)).toBe(5000);
    const probe = await hosts.acquire('a.example', 10);
    probe();
    expect(hosts.tryAcquire('a.example', 5000)).toBe(true);
  });
});
