// The one concurrency gate of the core: at most `size` holders at once, FIFO for the rest,
// and a gate per key (host) made on demand. The fetcher keeps one global and one per host;
// an OPML import bounds its probes with run(). Waiting can be bounded in time, so a request
// queued behind a hanging host gives up instead of holding a poller slot forever.
// (Rates are the other primitive: limits/pacer.ts.)

export type Release = () => void;

export class Gate {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(private readonly size: number) {}

  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }

  /**
   * Resolves with a release function once a slot is free; rejects after `timeoutMs` of
   * waiting (the timer exists only while actually waiting: most calls never wait).
   */
  acquire(timeoutMs?: number): Promise<Release> {
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = {
        grant: () => {
          if (timer) clearTimeout(timer);
          this.active++;
          resolve(this.releaser());
        },
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new Error('timed out waiting for a slot'));
        }, Math.max(0, timeoutMs));
      }
      this.waiting.push(waiter);
    });
  }

  /** Runs `fn` holding a slot (waiting as long as it takes). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private releaser(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      this.waiting.shift()?.grant();
    };
  }
}

/** A Gate per key (host name), created on demand and dropped when idle to keep memory flat. */
export class KeyedGates {
  private readonly gates = new Map<string, Gate>();

  constructor(private readonly size: number) {}

  async acquire(key: string, timeoutMs?: number): Promise<Release> {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new Gate(this.size);
      this.gates.set(key, gate);
    }
    const g = gate;
    const release = await g.acquire(timeoutMs).catch((err: unknown) => {
      if (g.idle) this.gates.delete(key);
      throw err;
    });
    return () => {
      release();
      if (g.idle && this.gates.get(key) === g) this.gates.delete(key);
    };
  }

  /** Hosts with a request running or queued. */
  get hosts(): number {
    return this.gates.size;
  }
}
