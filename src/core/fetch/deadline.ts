// The whole-request deadline, as the `signal` undici accepts. undici takes any EventEmitter
// with an 'abort' event; an AbortController costs ~18 µs to create on Node 20, which at
// thousands of 304s per second is a large share of the fetcher's own CPU time.
import { EventEmitter } from 'node:events';
import { FetchError } from './errors.js';

export class Deadline extends EventEmitter {
  aborted = false;
  reason: FetchError | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly endsAt: number;

  constructor(ms: number, host: string) {
    super();
    this.endsAt = performance.now() + ms;
    this.timer = setTimeout(() => this.abort(new FetchError('timeout', `${host} took longer than ${ms / 1000} s`)), ms);
    this.timer.unref();
  }

  /** Milliseconds left, for waits that must end with the request. */
  get remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  abort(reason: FetchError): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
