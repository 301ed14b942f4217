// Schema migrations, run at start before any repository loads. Each step is idempotent:
// a crash part-way leaves a store the next start migrates again from where it stopped.
import type Keyv from 'keyv';
import { DELIVERY_PREFIX, deliveryKey } from './outbox-store.js';
import type { Delivery } from '../domain/records.js';
import { scanPrefix } from './scan-prefix.js';

/** Bump when a stored shape changes incompatibly, and add a step below. */
export const SCHEMA_VERSION = 2;

/**
 * 1 → 2: no whole-collection indexes. Schema 1 listed every feed and subscription id in
 * `feed:index` / `sub:index` and kept each channel's outbox as one array in
 * `outbox:<channel>`, with the channels in `outbox:index`. Schema 2 loads collections by
 * scanning their key prefix, and keeps one `delivery:<channel>|<seq>` key per delivery.
 */
async function dropIndex(keyv: Keyv, prefix: string): Promise<void> {
  const indexKey = `${prefix}:index`;
  const ids = (await keyv.get(indexKey)) as string[] | undefined;
  if (!ids) return;
  // Schema 1 skipped a record missing from its index (a crash between the two writes);
  // a prefix scan would bring it back, so it goes now.
  const listed = new Set(ids.map((id) => `${prefix}:${id}`));
  const orphans: string[] = [];
  for await (const [key] of scanPrefix(keyv, `${prefix}:`)) if (key !== indexKey && !listed.has(key)) orphans.push(key);
  if (orphans.length) await keyv.deleteMany(orphans);
  await keyv.delete(indexKey);
}

async function splitOutbox(keyv: Keyv): Promise<void> {
  const channels = (await keyv.get('outbox:index')) as string[] | undefined;
  if (!channels) return;
  for (const channel of channels) {
    const list = ((await keyv.get(`outbox:${channel}`)) as Delivery[] | undefined) ?? [];
    // Small fixed seqs (1, 2, …): a rerun after a crash rewrites the same keys, and every
    // delivery appended later sorts after them.
    if (list.length) await keyv.setMany(list.map((d, i) => ({ key: deliveryKey(channel, i + 1), value: d })));
    await keyv.delete(`outbox:${channel}`);
  }
  await keyv.delete('outbox:index');
}

export async function migrate(keyv: Keyv): Promise<void> {
  const version = (await keyv.get('schema:version')) as number | undefined;
  if (version !== undefined && version > SCHEMA_VERSION) {
    throw new Error(`DATABASE_URL: the store has schema version ${version}, newer than this Herald (${SCHEMA_VERSION}); upgrade Herald`);
  }
  if (version === SCHEMA_VERSION) return;
  // undefined: a new store (or one from before versions), where these find nothing.
  if (version === undefined || version < 2) {
    await dropIndex(keyv, 'feed');
    await dropIndex(keyv, 'sub');
    await splitOutbox(keyv);
  }
  await keyv.set('schema:version', SCHEMA_VERSION);
}

export { DELIVERY_PREFIX };
