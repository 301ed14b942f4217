import { defineConfig } from 'vitest/config';

/**
 * Suites that run several Herald processes or measure Redis-side pacing in real time. They
 * run one file at a time, after everything else, so they never share the CPU with another
 * file. Every other file mostly waits (on polls, fakes, subprocesses) and runs three at a
 * time: on a 2-core machine vitest's default is one worker (cores - 1), and nine e2e files
 * that took 150 s one after another took 62 s three at a time, each file as long as alone.
 * HERALD_TEST_WORKERS overrides the three.
 */
const ALONE = ['test/cluster/**/*.test.ts', 'test/e2e/cluster*.test.ts'];

const common = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
  // e2e suites start real servers on loopback ports; forks keep their sockets apart
  pool: 'forks',
  // vitest's default, stated because describeRedis relies on it: after-hooks run in reverse,
  // so a file's private Redis stops after the hooks that close its connections.
  sequence: { hooks: 'stack' },
} as const;

export default defineConfig({
  test: {
    // Once for the whole run, so not in the projects (they would each run it again): a
    // PostgreSQL database of the run's own; each Redis test file starts its own redis-server
    // (test/support/). A developer's own data is never touched. dist/ is built once for the
    // tests that spawn Herald or its CLI as a real process.
    globalSetup: ['test/support/build-dist.ts', 'test/support/global-services.ts'],
    projects: [
      { test: { ...common, name: 'shared', include: ['test/**/*.test.ts'], exclude: ALONE, maxWorkers: Number(process.env.HERALD_TEST_WORKERS ?? 3) } },
      { test: { ...common, name: 'alone', include: ALONE, fileParallelism: false, sequence: { ...common.sequence, groupOrder: 1 } } },
    ],
  },
});
