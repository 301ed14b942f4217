import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KeyedSerial } from '../../src/domain/keyed-serial.js';

describe('KeyedSerial', () => {
  it('runs one key in call order, other keys alongside, and forgets idle keys', async () => {
    const serial = new KeyedSerial();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    };
    const done = Promise.all([serial.run('a', task('a1', 30)), serial.run('a', task('a2', 1)), serial.run('b', task('b1', 1))]);
    expect(serial.busyKeys).toBe(2);
    expect(await done).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
    await sleep(0);
    expect(serial.busyKeys).toBe(0);
  });

  it('keeps going after a failed task and hands its error to that caller only', async () => {
    const serial = new KeyedSerial();
    const failed = serial.run('k', async () => {
      throw new Error('boom');
    });
    const next = serial.run('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ok');
  });
});

describe('KeyedSerial as the core\'s lock', () => {
  it('runs one holder at a time per key, in call order, and survives a failing holder', async () => {
    const lock = new KeyedSerial();
    const log: string[] = [];
    const hold = (name: string, ms: number, fail = false) =>
      lock.run('k', async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}-`);
        if (fail) throw new Error(name);
      });
    const results = await Promise.allSettled([hold('a', 20, true), hold('b', 5), lock.run('other', async () => log.push('o'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.filter((x) => x !== 'o')).toEqual(['a+', 'a-', 'b+', 'b-']);
  });
});
