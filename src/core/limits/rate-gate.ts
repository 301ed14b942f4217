// Evenly spaced starts for the in-process dispatcher: a per-turn platform rate (DEFAULT_RATES) as a
// GCRA pace (limits/pacer.ts, the rule the cluster runs in Redis too) that wakes its caller
// when the next start is due instead of making it poll.
import { MemoryPacer, ratePace, type PaceRule } from './pacer.js';

export class RateGate {
  private readonly pacer: MemoryPacer;
  private readonly rule: PaceRule;
  private wake: NodeJS.Timeout | undefined;

  constructor(perSecond: number, now: () => number) {
    this.pacer = new MemoryPacer({ now });
    this.rule = ratePace(perSecond);
  }

  /** True while a wake-up for the next token is pending. */
  get waiting(): boolean {
    return this.wake !== undefined;
  }

  /** Takes a token, or arranges one call of `onToken` when the next is due and returns false. */
  take(onToken: () => void): boolean {
    if (this.wake) return false;
    const wait = this.pacer.takeNow('', this.rule);
    if (wait === 0) return true;
    this.wake = setTimeout(() => {
      this.wake = undefined;
      onToken();
    }, Math.ceil(wait));
    return false;
  }

  cancel(): void {
    clearTimeout(this.wake);
    this.wake = undefined;
  }
}
