// Serialises read-modify-write sequences per key. The outbox store serialises each of
// its own calls, but "list, then replace" spans two calls: without this lock an item
// appended between them would be overwritten and lost.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.tails.set(key, next);
    // Forget the key once nobody queued behind us, so the map stays as small as the work.
    void next.catch(() => undefined).then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }
}
