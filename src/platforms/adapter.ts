import type { Platform } from '../domain/types.js';

/** What the composition root needs from a platform adapter. */
export interface PlatformAdapter {
  /** Its module's name. */
  readonly name: Platform;
  /** Connects, registers commands and its MessageSender; resolves once usable. */
  start(): Promise<void>;
  /** Cluster: gives gateway sessions to another process first, while this one still runs everything. */
  handOver?(): Promise<void>;
  /** Closes connections; pending deliveries stay in the outbox. */
  stop(): Promise<void>;
  isReady(): boolean;
}
