// Evenly spaced starts: a token bucket refilled at `perSecond` with a small burst.

/**
 * Small on purpose: a platform that counts requests in one-second windows then sees at
 * most perSecond + RATE_BURST in any window, however its windows and ours are aligned.
 */
export const RATE_BURST = 3;

export class RateGate {
  private tokens = RATE_BURST;
  private tokensAt: number;
  private wake: NodeJS.Timeout | undefined;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokensAt = now();
  }

  /** True while a wake-up for the next token is pending. */
  get waiting(): boolean {
    return this.wake !== undefined;
  }

  /** Takes a token, or arranges one call of `onToken` when the next is due and returns false. */
  take(onToken: () => void): boolean {
    if (this.wake) return false;
    const now = this.now();
    const msPer = 1000 / this.perSecond;
    this.tokens = Math.min(RATE_BURST, this.tokens + (now - this.tokensAt) / msPer);
    this.tokensAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.wake = setTimeout(() => {
      this.wake = undefined;
      onToken();
    }, Math.ceil((1 - this.tokens) * msPer));
    return false;
  }

  cancel(): void {
    clearTimeout(this.wake);
    this.wake = undefined;
  }
}
