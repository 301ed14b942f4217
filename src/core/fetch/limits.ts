// Concurrency gates for the fetcher: one global, one per host. Waiting is abortable, so a
// request queued behind a hanging host gives up instead of holding a poller slot forever.

export type Release = () => void;

export class Gate {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(private readonly size: number) {}

  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          resolve(this.releaser());
        },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
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

  async acquire(key: string, signal?: AbortSignal): Promise<Release> {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new Gate(this.size);
      this.gates.set(key, gate);
    }
    const g = gate;
    const release = await g.acquire(signal).catch((err: unknown) => {
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
