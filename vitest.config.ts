import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e suites start real servers on loopback ports; forks keep their sockets apart
    pool: 'forks',
    // A private redis-server and PostgreSQL database per run: a developer's own data is never touched.
    // dist/ built once for tests that spawn Herald or its CLI as a real process.
    globalSetup: ['test/support/build-dist.ts', 'test/support/global-services.ts'],
  },
});
