// The bounded-concurrency gate lives in limits/gate.ts; this name stays for the OPML import
// until it moves to the application layer (part 13), which can import Gate directly.
export { Gate as Semaphore } from '../limits/gate.js';
