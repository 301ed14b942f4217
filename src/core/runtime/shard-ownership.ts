// Which gateway shards this process opens: a runtime port, like scheduling and limits. Alone,
// a process opens them all (no ownership); in a cluster each shard is owned by one process at
// a time, and app.ts hands the adapter the cluster's implementation
// (src/cluster/shard-ownership.ts). It lives with the other ports so that neither the
// platform nor the cluster imports the other.
import type { Logger } from '../../logger.js';

/** Resolves true when this process is the one to answer the interaction. */
export type InteractionClaim = (interactionId: string) => Promise<boolean>;

export interface ShardHandlers {
  shardCount: number;
  /** Connect this shard (it is ours, or about to be taken over from its owner). */
  onAcquire(shard: number): Promise<void>;
  /** Disconnect this shard (it is gone or being given back). */
  onLose(shard: number): Promise<void>;
  logger: Logger;
}

export interface ShardOwnership {
  /** Takes this process's share of the shards, now and as processes come and go. */
  start(handlers: ShardHandlers): Promise<void>;
  /** Gives the shards back (to successors first); a no-op when already stopped. */
  stop(): Promise<void>;
  /** Exactly one answer per interaction while two processes hold one shard during a handover. */
  claim: InteractionClaim;
}
