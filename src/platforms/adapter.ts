/** What the composition root needs from a platform adapter. */
export interface PlatformAdapter {
  readonly name: 'discord' | 'slack';
  /** Connects, registers commands and its MessageSender; resolves once usable. */
  start(): Promise<void>;
  /** Closes connections; pending deliveries stay in the outbox. */
  stop(): Promise<void>;
  isReady(): boolean;
}
