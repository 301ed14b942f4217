// The cluster's ShardOwnership (platforms/discord/shard-ownership.ts): Redis shard locks and
// interaction claims, handed to the Discord adapter by app.ts.
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { ShardOwnership } from '../core/runtime/shard-ownership.js';
import { redisInteractionClaim } from './interaction-claim.js';
import { ShardLocks } from './shard-locks.js';

export function redisShardOwnership(o: { redis: Redis; prefix: string; logger: Logger }): ShardOwnership {
  let locks: ShardLocks | undefined;
  return {
    async start(handlers) {
      locks = new ShardLocks({ redis: o.redis, prefix: o.prefix, ...handlers });
      await locks.start();
    },
    stop: async () => locks?.stop(),
    claim: redisInteractionClaim(o.redis, o.prefix, o.logger),
  };
}
