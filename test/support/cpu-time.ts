// "Stays linear" tests time the work in CPU milliseconds of this process (user + system), not
// wall-clock time: a busy machine stretches the wall clock of a correct parser several times
// over, but barely its CPU time, while a quadratic or backtracking algorithm costs seconds to
// hours of CPU either way. The bounds stay generous: they catch runaway growth, not a slow run.
import { cpuUsage } from 'node:process';

const msSince = (start: NodeJS.CpuUsage) => {
  const d = cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** Runs fn and returns its value with the CPU milliseconds it took. */
export function cpuTimed<T>(fn: () => T): { value: T; ms: number } {
  const start = cpuUsage();
  const value = fn();
  return { value, ms: msSince(start) };
}

/** The same for async work; nothing else of this test file runs meanwhile (one test at a time). */
export async function cpuTimedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = cpuUsage();
  const value = await fn();
  return { value, ms: msSince(start) };
}
