// Due feeds waiting for their host (busy with FETCH_PER_HOST polls, or paused by Retry-After).
// Each host's list is FIFO, and feeds join it in due order, so its head is that host's most
// overdue feed. Hosts are "candidates" (may have a free slot) or "blocked" (full or paused,
// until a poll of theirs ends or their pause runs out), so picking the next feed never
// looks at hosts that cannot take one.
import type { DueEntry } from './due-queue.js';

class Fifo {
  private items: DueEntry[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  first(): DueEntry | undefined {
    return this.items[this.head];
  }
  push(e: DueEntry): void {
    this.items.push(e);
  }
  shift(): DueEntry | undefined {
    const e = this.items[this.head++];
    // Compact now and then, so a long-busy host does not keep every entry it ever had.
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return e;
  }
  remove(id: string): void {
    const i = this.items.findIndex((e, k) => k >= this.head && e.id === id);
    if (i >= 0) this.items.splice(i, 1);
  }
  *entries(): Iterable<DueEntry> {
    for (let k = this.head; k < this.items.length; k++) yield this.items[k]!;
  }
}

export class HostWaitLists {
  private readonly lists = new Map<string, Fifo>();
  private readonly hostOfId = new Map<string, string>();
  private readonly candidates = new Set<string>();
  private readonly blocked = new Set<string>();

  has(id: string): boolean {
    return this.hostOfId.has(id);
  }

  ids(): string[] {
    return [...this.hostOfId.keys()];
  }

  queued(host: string): boolean {
    return this.lists.has(host);
  }

  push(host: string, entry: DueEntry): void {
    let list = this.lists.get(host);
    if (!list) this.lists.set(host, (list = new Fifo()));
    list.push(entry);
    this.hostOfId.set(entry.id, host);
    if (!this.blocked.has(host)) this.candidates.add(host);
  }

  /** The most overdue head among hosts that may have a free slot; `usable` false blocks a host. */
  earliestReady(_now: number, usable: (host: string) => boolean): { host: string; entry: DueEntry } | undefined {
    let best: { host: string; entry: DueEntry } | undefined;
    for (const host of this.candidates) {
      if (!usable(host)) {
        this.block(host);
        continue;
      }
      const entry = this.lists.get(host)!.first()!;
      if (!best || entry.dueAt < best.entry.dueAt) best = { host, entry };
    }
    return best;
  }

  shift(host: string): DueEntry | undefined {
    const list = this.lists.get(host);
    const e = list?.shift();
    if (e) this.hostOfId.delete(e.id);
    if (list && !list.length) this.drop(host);
    return e;
  }

  delete(id: string): void {
    const host = this.hostOfId.get(id);
    if (host === undefined) return;
    this.hostOfId.delete(id);
    const list = this.lists.get(host)!;
    list.remove(id);
    if (!list.length) this.drop(host);
  }

  block(host: string): void {
    if (!this.lists.has(host)) return;
    this.candidates.delete(host);
    this.blocked.add(host);
  }

  unblock(host: string): void {
    if (this.blocked.delete(host)) this.candidates.add(host);
  }

  unblockAll(): void {
    for (const host of this.blocked) this.candidates.add(host);
    this.blocked.clear();
  }

  blockedHosts(): Iterable<string> {
    return this.blocked;
  }

  /** Waiting entries due at or before t, and the earliest due time among all waiting. */
  due(t: number): { count: number; earliest?: number } {
    let count = 0;
    let earliest: number | undefined;
    for (const list of this.lists.values()) {
      for (const e of list.entries()) {
        if (e.dueAt <= t) count++;
        if (earliest === undefined || e.dueAt < earliest) earliest = e.dueAt;
      }
    }
    return earliest === undefined ? { count } : { count, earliest };
  }

  private drop(host: string): void {
    this.lists.delete(host);
    this.candidates.delete(host);
    this.blocked.delete(host);
  }
}
