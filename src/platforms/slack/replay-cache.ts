// Signatures already accepted: a captured request re-sent within the 5-minute timestamp
// window verifies again, so the signature alone does not stop a replay. Entries expire once
// their timestamp is out of the window; the cache is bounded so a flood cannot grow it.
import { MAX_SKEW_SECONDS } from './signature.js';

export class ReplayCache {
  /** Signature → when it may be forgotten (ms); insertion order is expiry order. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries = 10_000,
    /** Past its timestamp a request is refused as stale anyway; both directions count. */
    private readonly ttlMs = 2 * MAX_SKEW_SECONDS * 1000,
  ) {}

  /** True the first time a signature is offered, false for a repeat. */
  firstSeen(signature: string, nowMs: number): boolean {
    this.prune(nowMs);
    if (this.seen.has(signature)) return false;
    if (this.seen.size >= this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(signature, nowMs + this.ttlMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(nowMs: number) {
    for (const [sig, until] of this.seen) {
      if (until > nowMs) break;
      this.seen.delete(sig);
    }
  }
}
