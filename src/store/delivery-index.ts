// Redis only: a sorted set per channel naming its pending delivery keys. Without it, reading
// one channel's queue meant SCAN MATCH over the whole keyspace, and a cluster re-reads a
// channel at every drain turn (outbox-store.ts). The adapter (redis-adapter.ts) writes each
// entry in the same MULTI as its delivery key; scan-prefix.ts reads a channel through it.
export const DELIVERY_PREFIX = 'delivery:';
export const DELIVERY_INDEX_PREFIX = 'delivery-index:';

/** `delivery:<channel>|<seq>` → that channel's index key; undefined for any other key. */
export function deliveryIndexKey(key: string): string | undefined {
  if (!key.startsWith(DELIVERY_PREFIX)) return undefined;
  const bar = key.lastIndexOf('|');
  return bar > DELIVERY_PREFIX.length ? DELIVERY_INDEX_PREFIX + key.slice(DELIVERY_PREFIX.length, bar) : undefined;
}

/** A scan prefix for one channel's deliveries (`delivery:<channel>|`) → its index key. */
export function channelIndexOf(prefix: string): string | undefined {
  return prefix.startsWith(DELIVERY_PREFIX) && prefix.endsWith('|') ? deliveryIndexKey(`${prefix}0`) : undefined;
}
