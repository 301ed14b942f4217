// The Redis side of a gapless shard handover (used by shard-locks.ts). Discord drops an
// interaction when no session of its shard is connected, so a shard changes hands
// make-before-break: the owner offers it, one successor claims the offer, connects a second
// session, then swaps the lock to itself; only then does the old owner disconnect. Both
// sessions receive the interactions of that moment, and a per-interaction claim
// (platforms/discord/interaction-claim.ts) lets exactly one of them answer.
import type { Redis } from 'ioredis';

/** Refreshes the owner's lock (it must outlast the handover) and publishes the offer. */
const OFFER = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 1`;

/** The successor, connected: the lock becomes its own if the offerer (or nobody) holds it. */
const SWAP = `local cur = redis.call('GET', KEYS[1])
if cur ~= ARGV[1] and cur ~= false then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('DEL', KEYS[2], KEYS[3])
return 1`;

/** No successor in time: the offerer withdraws the offer and, unless told to keep it, the lock. */
const WITHDRAW = `if ARGV[2] ~= 'keep' and redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

export type HandOff = 'handed over' | 'lock lost' | 'no successor';

export class ShardHandover {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly shardCount: number,
    /** How long an owner waits for a successor; offers and claims expire with it. */
    readonly windowMs: number,
  ) {}

  lockKey = (shard: number) => `${this.prefix}shard:${this.shardCount}:${shard}`;
  private offerKey = (shard: number) => `${this.prefix}shard-offer:${this.shardCount}:${shard}`;
  private takerKey = (shard: number) => `${this.prefix}shard-taker:${this.shardCount}:${shard}`;
  /** Published on an offer and when a process joins: the others tick at once instead of within 5 s. */
  readonly channel = () => `${this.prefix}shard-wake`;

  async offer(shard: number, owner: string, ttlMs: number): Promise<boolean> {
    const ok = Number(await this.redis.eval(OFFER, 2, this.lockKey(shard), this.offerKey(shard), owner, ttlMs, this.windowMs + 1000));
    if (ok) await this.redis.publish(this.channel(), 'offer');
    return ok === 1;
  }

  /** Shards offered by someone else, among those not in `skip`. */
  async offered(self: string, skip: Set<number>): Promise<{ shard: number; owner: string }[]> {
    const shards = Array.from({ length: this.shardCount }, (_, i) => i).filter((s) => !skip.has(s));
    if (!shards.length) return [];
    const owners = await this.redis.mget(shards.map(this.offerKey));
    return shards.flatMap((shard, i) => (owners[i] && owners[i] !== self ? [{ shard, owner: owners[i] }] : []));
  }

  /** One successor per offer: the first to set the claim connects, the others leave it. */
  async claim(shard: number, self: string): Promise<boolean> {
    return (await this.redis.set(this.takerKey(shard), self, 'PX', this.windowMs, 'NX')) === 'OK';
  }

  async swap(shard: number, from: string, to: string, ttlMs: number): Promise<boolean> {
    return Number(await this.redis.eval(SWAP, 3, this.lockKey(shard), this.offerKey(shard), this.takerKey(shard), from, to, ttlMs)) === 1;
  }

  /** Offers the shard, then waits until the lock is no longer `owner`'s (the successor swapped it) or the window ends. */
  async handOff(shard: number, owner: string, ttlMs: number, pollMs = 100): Promise<HandOff> {
    if (!(await this.offer(shard, owner, ttlMs))) return 'lock lost';
    const until = Date.now() + this.windowMs;
    while (Date.now() < until) {
      if ((await this.redis.get(this.lockKey(shard))) !== owner) return 'handed over';
      await new Promise((r) => setTimeout(r, pollMs));
    }
    return 'no successor';
  }

  async withdraw(shard: number, owner: string, opts: { keepLock?: boolean } = {}): Promise<void> {
    await this.redis.eval(WITHDRAW, 2, this.lockKey(shard), this.offerKey(shard), owner, opts.keepLock ? 'keep' : 'release');
  }
}
