import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e suites start real servers on loopback ports; forks keep their sockets apart
    pool: 'forks',
    // A PostgreSQL database per run and a private redis-server per Redis test file
    // (test/support/): a developer's own data is never touched.
    globalSetup: ['test/support/global-services.ts'],
    // vitest's default, stated because describeRedis relies on it: after-hooks run in reverse,
    // so a file's private Redis stops after the hooks that close its connections.
    sequence: { hooks: 'stack' },
  },
});
