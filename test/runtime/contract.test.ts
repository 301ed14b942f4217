// The runtime contract: every scenario of scenarios.ts against the single process and the
// cluster, so a rule that lives in only one runtime fails here.
import { describe, it } from 'vitest';
import { describeRedis } from '../cluster/redis-db.js';
import { scenarios } from './scenarios.js';
import { clusterWorld, localWorld } from './worlds.js';

describe('runtime contract: single process', () => {
  for (const s of scenarios) it(s.name, () => s.run(localWorld), 30_000);
});

describeRedis('runtime contract: cluster', () => {
  for (const s of scenarios) it(s.name, () => s.run(clusterWorld), 30_000);
});
