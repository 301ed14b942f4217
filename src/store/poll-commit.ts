// One poll's outcome as ONE atomic write (issue 14): the new deliveries for every channel
// and the feed's updated seen ids. Written apart, a process killed between the two writes
// either left deliveries whose items still look new (the next poll, by any process, queued
// them again once sent: a double post) or, the other way round, seen ids with no delivery
// (a skipped item). Together, a crash keeps the whole poll or none of it, and a poll that
// is lost is simply redone. Atomic per backend because Keyv's setMany is: one MULTI/EXEC
// on Redis, one INSERT … SELECT FROM UNNEST on PostgreSQL, one INSERT on SQLite
// (sqlite-adapter.ts).
import type { OutboxStore } from './outbox-store.js';
import type { Delivery } from '../domain/records.js';
import type { SeenStore } from './seen-store.js';

export interface PollCommit {
  feedId: string;
  /** Per channel key (channelKey()), the poll's new deliveries; ids already pending are skipped. */
  deliveries: [channel: string, deliveries: Delivery[]][];
  /** The items this poll found new, and everything the feed lists now (see SeenStore.record). */
  newIds: string[];
  currentIds: string[];
}

export function commitPoll(outbox: OutboxStore, seen: SeenStore, poll: PollCommit): Promise<void> {
  const batches = poll.deliveries.filter(([, ds]) => ds.length);
  // The seen merge reads the stored list; recordWith runs it in the feed's turn, so no other
  // record() of this feed in this process slips between that read and this write. Across
  // processes only the holder of the feed's poll job writes it (src/cluster).
  return seen.recordWith(poll.feedId, poll.newIds, poll.currentIds, (write) => outbox.appendMany(batches, write ? [write] : []));
}

/**
 * For outboxes written before commitPoll, when the outbox came first and the seen ids after:
 * a crash in between left deliveries whose items still look new, and once they were sent
 * the next poll would queue them again. So before anything is sent, every item still
 * pending is recorded as seen. Only for a single process (lease.ts): in a cluster this
 * read-merge-write of seen lists would race the poll job that owns each feed's list.
 */
export async function markPendingSeen(outbox: OutboxStore, seen: SeenStore): Promise<void> {
  const byFeed = new Map<string, string[]>();
  for (const channel of await outbox.channels()) {
    for (const d of await outbox.list(channel)) {
      if (!d.itemId) continue;
      const ids = byFeed.get(d.feedId) ?? [];
      ids.push(d.itemId);
      byFeed.set(d.feedId, ids);
    }
  }
  for (const [feedId, ids] of byFeed) await seen.include(feedId, ids);
}
