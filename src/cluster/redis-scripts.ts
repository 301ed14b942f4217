// The Lua scripts behind the cluster-wide limiters. Each runs atomically in Redis and reads
// Redis's own clock (TIME), so processes with skewed clocks still agree on every window.
// Redis 7 replicates script effects, not scripts, so TIME inside a writing script is allowed.

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Counting semaphore with leases: KEYS[1] a sorted set token → lease expiry, KEYS[2] the
 * pause key (value: paused-until ms). ARGV: limit, token, leaseMs.
 * Returns 0 when acquired, else how many ms to wait before trying again (at least 1).
 * A holder that died without releasing stops counting when its lease runs out.
 */
export const ACQUIRE = `${NOW}
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return paused - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local limit = tonumber(ARGV[1])
local lease = tonumber(ARGV[3])
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[2])
  redis.call('PEXPIRE', KEYS[1], lease)
  return 0
end
return 1`;

/** Releases a lease: KEYS[1] the sorted set, ARGV[1] the token. */
export const RELEASE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

/** Extends a pause (KEYS[1]) to now + ARGV[1] ms, never shortening one already longer. */
export const PAUSE = `${NOW}
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > cur then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 1000) end
return 1`;

/**
 * Even spacing (a virtual schedule): KEYS[1] holds the next free slot in ms. Reserves the
 * next slot ARGV[1] ms (may be fractional) after the previous one and returns how long the
 * caller must wait for it. Spacing sends evenly, rather than counting per window, keeps any
 * one-second window Discord chooses under its limit (see DEFAULT_RATES in deliver/queue.ts).
 */
export const RESERVE = `${NOW}
local spacing = tonumber(ARGV[1])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
redis.call('SET', KEYS[1], tostring(slot + spacing), 'PX', math.ceil(slot - now + spacing) + 1000)
return math.ceil(slot - now)`;
