// Tests that need something a machine may lack (a redis-server binary, PostgreSQL, ../shared,
// an IPv6 loopback) register through these. Where the thing is there they run. Where it is
// missing they skip with a visible NOTICE, except with CI=true: CI promises all of them, so
// there the suite gets one failing test that names what is missing and cannot pass unseen.
import { describe, it } from 'vitest';

export const CI = process.env.CI === 'true';

/** What a test needs: undefined when it is there, else why not and how to get it. */
export type Missing = { what: string; why: string; hint?: string } | undefined;

const noticed = new Set<string>();

/** The one-line notice for a skipped test, printed once per file and thing. */
export function notice(title: string, missing: NonNullable<Missing>): void {
  const key = `${title}\0${missing.what}`;
  if (noticed.has(key)) return;
  noticed.add(key);
  console.warn(`NOTICE: skipping "${title}": needs ${missing.what}, but ${missing.why}.${missing.hint ? ` ${missing.hint}` : ''} (required when CI=true)`);
}

const failure = (missing: NonNullable<Missing>) => () => {
  throw new Error(`needs ${missing.what}, but ${missing.why} (required when CI=true).${missing.hint ? ` ${missing.hint}` : ''}`);
};

/** describe() that runs when nothing is missing; else skips with a notice, or fails under CI=true. */
export function describeNeeds(missing: Missing, title: string, body: () => void): void {
  if (!missing) describe(title, body);
  else if (CI) describe(title, () => it(`needs ${missing.what}`, failure(missing)));
  else {
    notice(title, missing);
    describe.skip(title, body);
  }
}

/** it() with the same rule, for one test in a suite whose other tests need nothing. */
export function itNeeds(missing: Missing, title: string, fn: () => unknown, timeout?: number): void {
  if (!missing) it(title, fn, timeout);
  else if (CI) it(title, failure(missing));
  else {
    notice(title, missing);
    it.skip(title, fn);
  }
}
