// Guilds spread over shards for shard tests: guild k lands on shard k % count (960000 divides by 2–6).
import type { FakeGuild } from './gateway.js';

export function guildsOverShards(n: number): FakeGuild[] {
  return Array.from({ length: n }, (_, k) => {
    const id = String((960_000n + BigInt(k)) << 22n);
    return { id, channels: [String(300_000_000_000_000_100n + BigInt(k))] };
  });
}

/** The id of a guild's first channel (a bare id or a channel spec). */
export function firstChannel(g: FakeGuild): string {
  const c = g.channels[0]!;
  return typeof c === 'string' ? c : c.id;
}
