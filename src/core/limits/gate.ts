// The one concurrency gate of the core: at most `size` holders at once, FIFO for the rest.
// The fetcher's global limit (FETCH_CONCURRENCY) and an OPML import's probes use it; per-host
// slots are host-slots.ts. Waiting can be bounded in time, so a request
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
