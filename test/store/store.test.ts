// The store contract on SQLite, Redis and PostgreSQL (see backends.ts for the skip rule).
import { afterAll } from 'vitest';
import { allBackends, describeBackend } from './backends.js';
import { concurrencySuite } from './concurrency-suite.js';
import { migrationSuite } from './migration-suite.js';
import { storeSuite } from './store-suite.js';
import { writeCostSuite } from './write-cost-suite.js';

const backends = await allBackends();
afterAll(() => Promise.all(backends.map((b) => b.cleanup())));

for (const backend of backends) {
  describeBackend(backend, 'store', () => storeSuite(backend));
  describeBackend(backend, 'store concurrency', () => concurrencySuite(backend));
  describeBackend(backend, 'store write costs', () => writeCostSuite(backend));
  describeBackend(backend, 'store schema migration', () => migrationSuite(backend));
}
