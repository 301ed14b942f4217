import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e suites start real servers on loopback ports; forks keep their sockets apart
    pool: 'forks',
  },
});
