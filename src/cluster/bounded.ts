// The cluster's ioredis connections queue commands while Redis is away instead of failing
// them (maxRetriesPerRequest: null, as BullMQ needs), so a call can hang for as long as the
// outage lasts. Where a caller must decide in time (shard locks, interaction claims), the
// call is cut off: it rejects after `ms`, and the caller treats Redis as unreachable.
export function bounded<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
