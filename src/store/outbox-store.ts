import type Keyv from 'keyv';
import { KeyedSerial } from './keyed-serial.js';
import type { Delivery } from './records.js';

/**
 * Pending deliveries, one ordered queue per channel (key from channelKey()).
 * A queue is written whole: channels rarely hold more than a handful of items.
 */
export interface OutboxStore {
  /** Channel keys that have pending deliveries. */
  channels(): Promise<string[]>;
  list(channel: string): Promise<Delivery[]>;
  append(channel: string, deliveries: Delivery[]): Promise<void>;
  /** Removes deliveries by id (sent, dropped or obsolete). */
  remove(channel: string, ids: string[]): Promise<void>;
  replace(channel: string, deliveries: Delivery[]): Promise<void>;
  clear(channel: string): Promise<void>;
}

export function createOutboxStore(keyv: Keyv): OutboxStore {
  const key = (channel: string) => `outbox:${channel}`;
  // Serialise read-modify-write per channel; the index has its own chain.
  const chains = new KeyedSerial();
  const serial = <T>(k: string, fn: () => Promise<T>): Promise<T> => chains.run(k, fn);
  const readIndex = async () => ((await keyv.get('outbox:index')) as string[] | undefined) ?? [];
  const setIndexed = (channel: string, present: boolean) =>
    serial('outbox:index', async () => {
      const idx = await readIndex();
      const has = idx.includes(channel);
      if (present && !has) await keyv.set('outbox:index', [...idx, channel]);
      if (!present && has) await keyv.set('outbox:index', idx.filter((c) => c !== channel));
    });
  const write = async (channel: string, list: Delivery[]) => {
    if (list.length) {
      await setIndexed(channel, true);
      await keyv.set(key(channel), list);
    } else {
      await keyv.delete(key(channel));
      await setIndexed(channel, false);
    }
  };
  const read = async (channel: string) => ((await keyv.get(key(channel))) as Delivery[] | undefined) ?? [];

  return {
    channels: readIndex,
    list: read,
    append: (channel, deliveries) => serial(key(channel), async () => write(channel, [...(await read(channel)), ...deliveries])),
    remove: (channel, ids) =>
      serial(key(channel), async () => {
        const drop = new Set(ids);
        await write(channel, (await read(channel)).filter((d) => !drop.has(d.id)));
      }),
    replace: (channel, deliveries) => serial(key(channel), () => write(channel, deliveries)),
    clear: (channel) => serial(key(channel), () => write(channel, [])),
  };
}
