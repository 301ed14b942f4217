// "Which feed is due when": a binary min-heap of (feed id, due time) with a position index,
// so adding, moving or removing one feed is O(log n) and the most overdue feed is at the top.
// The poller never scans every feed to find the due ones.
// (A cluster keeps no heap: each feed is one BullMQ delayed job, see src/cluster/poll-queue.ts.)

export interface DueEntry {
  id: string;
  dueAt: number;
}

export class DueHeap {
  // Parallel arrays keep 100,000 entries to a few MB and out of the garbage collector's way.
  private readonly ids: string[] = [];
  private readonly times: number[] = [];
  private readonly pos = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  dueOf(id: string): number | undefined {
    const i = this.pos.get(id);
    return i === undefined ? undefined : this.times[i];
  }

  set(id: string, dueAt: number): void {
    const i = this.pos.get(id);
    if (i === undefined) {
      this.ids.push(id);
      this.times.push(dueAt);
      this.pos.set(id, this.ids.length - 1);
      this.up(this.ids.length - 1);
      return;
    }
    const old = this.times[i]!;
    this.times[i] = dueAt;
    if (dueAt < old) this.up(i);
    else this.down(i);
  }

  delete(id: string): boolean {
    const i = this.pos.get(id);
    if (i === undefined) return false;
    this.removeAt(i);
    return true;
  }

  peek(): DueEntry | undefined {
    return this.ids.length ? { id: this.ids[0]!, dueAt: this.times[0]! } : undefined;
  }

  pop(): DueEntry | undefined {
    const top = this.peek();
    if (top) this.removeAt(0);
    return top;
  }

  due(t: number): { count: number; earliest?: number } {
    if (!this.ids.length || this.times[0]! > t) return { count: 0 };
    // Walk only the subtrees whose root is due: their children can only be later.
    let count = 0;
    const stack = [0];
    while (stack.length) {
      const i = stack.pop()!;
      if (i >= this.ids.length || this.times[i]! > t) continue;
      count++;
      stack.push(2 * i + 1, 2 * i + 2);
    }
    return { count, earliest: this.times[0]! };
  }

  private removeAt(i: number): void {
    const last = this.ids.length - 1;
    this.pos.delete(this.ids[i]!);
    if (i !== last) {
      this.ids[i] = this.ids[last]!;
      this.times[i] = this.times[last]!;
      this.pos.set(this.ids[i]!, i);
    }
    this.ids.pop();
    this.times.pop();
    if (i < this.ids.length) {
      this.up(i);
      this.down(i);
    }
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a]!;
    const t = this.times[a]!;
    this.ids[a] = this.ids[b]!;
    this.times[a] = this.times[b]!;
    this.ids[b] = id;
    this.times[b] = t;
    this.pos.set(this.ids[a]!, a);
    this.pos.set(id, b);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent]! <= this.times[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.ids.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.times[l]! < this.times[m]!) m = l;
      if (r < n && this.times[r]! < this.times[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
