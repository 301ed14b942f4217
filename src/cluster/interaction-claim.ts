// Exactly one answer per interaction in a cluster. Discord sends a shard's events to every
// session identified with that shard, and while a shard is handed over (cluster/shard-handover.ts)
// the old and the new owner are both connected: each would run the command, and the slower
// one's callback would fail with 40060 "already acknowledged" after its side effects ran.
// So before answering, a process claims the interaction id in Redis; the loser does nothing.
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { InteractionClaim } from '../core/runtime/shard-ownership.js';
import { bounded } from './bounded.js';

/** Discord accepts the first answer within 3 s; the claim outlives that comfortably. */
const CLAIM_MS = 60_000;
/** The cluster's connection queues commands while Redis is away; never wait past Discord's 3 s. */
const ANSWER_WITHIN_MS = 1000;

export function redisInteractionClaim(redis: Redis, prefix: string, log: Logger): InteractionClaim {
  return async (id) => {
    // Known to be down: the shard locks drop this process's shards at their next tick.
    if (redis.status !== 'ready') return true;
    try {
      return (await bounded(redis.set(`${prefix}interaction:${id}`, '1', 'PX', CLAIM_MS, 'NX'), ANSWER_WITHIN_MS)) === 'OK';
    } catch (err) {
      log.warn({ err, interaction: id }, 'interaction claim failed or timed out; answering anyway');
    }
    // Without Redis this process is dropping its shards: a duplicate answer (which Discord
    // refuses) is better than a command nobody answers.
    return true;
  };
}
