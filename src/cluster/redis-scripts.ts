// The Lua scripts behind the cluster-wide limiters and locks. Each runs atomically in Redis and reads
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
 * Pacing per key, the GCRA of core/limits/pacer.ts run in Redis: KEYS[1] the key's tat
 * (theoretical arrival time, ms), KEYS[2] its hold (no send before, ms). ARGV: interval ms
 * (may be fractional; 0 = holds only), burst, 'take', 'peek' or 'reserve'. Returns 0 when the
 * key may send now (and, for 'take', takes it), else how many ms until it may (nothing taken);
 * 'reserve' always takes the key's next send and returns the ms until it.
 */
export const PACE = `${NOW}
local interval = tonumber(ARGV[1])
local ready = tonumber(redis.call('GET', KEYS[2]) or '0')
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if interval > 0 then
  local r = tat - (tonumber(ARGV[2]) - 1) * interval
  if r > ready then ready = r end
end
if ARGV[3] == 'reserve' then
  if ready < now then ready = now end
  if interval > 0 then
    if tat < ready then tat = ready end
    tat = tat + interval
    redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil(tat - now) + 1000)
  end
  return math.ceil(ready - now)
end
if ready > now then return math.ceil(ready - now) end
if ARGV[3] == 'take' and interval > 0 then
  if tat < now then tat = now end
  tat = tat + interval
  redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil(tat - now) + 1000)
end
return 0`;

/**
 * A feed-check token bucket per workspace (FEED_CHECKS_PER_MINUTE), one for the whole
 * cluster: KEYS[1] a hash {tokens, at}. ARGV: capacity, perMinute, n. n > 0 takes up to n
 * whole tokens, n < 0 gives -n back, 0 only looks. Returns {taken, ms until one token}.
 * A bucket left alone refills; its key expires once it would be full, as full holds nothing.
 */
export const TAKE_CHECKS = `${NOW}
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
if now > at then tokens = math.min(cap, tokens + (now - at) * rate / 60000) end
local got = 0
if want > 0 then
  got = math.max(0, math.min(want, math.floor(tokens)))
  tokens = tokens - got
elseif want < 0 then
  tokens = math.min(cap, tokens - want)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) * 60000 / rate) + 1000)
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) * 60000 / rate) end
return {got, wait}`;

/** Releases a lock (KEYS[1]) only while it still holds this holder's token (ARGV[1]). */
export const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Notes a subscription change of a workspace: KEYS[1] its version counter, KEYS[2] a sorted
 * set change → time. ARGV: the change (text), how long changes are kept (ms). Drops older
 * ones and returns the new version. Both keys live as long as the changes they describe.
 */
export const RECORD_CHANGE = `${NOW}
local keep = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - keep)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], keep)
local v = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], keep)
return v`;
