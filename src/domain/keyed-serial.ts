// The one keyed lock of Herald: tasks run one at a time per key, in call order. The store
// orders its writes with it (Keyv gives no order: the PostgreSQL adapter sends queries over
// a pool, so two writes to one key issued back to back may land in either order); the core
// serialises read-modify-write sequences with it (the outbox's "list, then replace", a
// workspace's cap check and add). Here in domain because both store and core import it and
// the store imports nothing else.

/** Runs tasks one at a time per key, in call order; different keys run in parallel. */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    // A failed task must not block the ones queued behind it; its caller sees the error.
    const next = (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    this.tails.set(key, next);
    // Forget idle keys, or a long-running process keeps one entry per key ever written.
    const forget = () => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  /** Runs one task after every earlier task on any of `keys`; later tasks on them wait for it. */
  runMany<T>(keys: string[], task: () => Promise<T>): Promise<T> {
    const before = Promise.all(keys.map((k) => (this.tails.get(k) ?? Promise.resolve()).catch(() => undefined)));
    const next = before.then(task);
    for (const key of keys) this.tails.set(key, next);
    const forget = () => {
      for (const key of keys) if (this.tails.get(key) === next) this.tails.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  /** Keys with queued or running tasks (for tests). */
  get busyKeys(): number {
    return this.tails.size;
  }
}
