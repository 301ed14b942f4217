// What a platform is to the rest of Herald: one module object per platform folder
// (src/platforms/<name>/platform.ts), listed in src/platforms/registry.ts. Config builds its
// schema and its checks from these, app.ts its readiness, redaction, cluster keys, reserved
// routes and adapters; neither names a platform. A platform.ts stays light (zod and types):
// it is loaded by the CLI and by every process, and its client library loads in create().
import type { z } from 'zod';
import type { UseCases } from '../application/index.js';
import type { HeraldCore } from '../core/herald.js';
import type { ShardOwnership } from '../core/runtime/shard-ownership.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../logger.js';
import type { PlatformAdapter } from './adapter.js';

/** What app.ts hands a platform when it creates its adapter. */
export interface PlatformDeps {
  herald: HeraldCore;
  useCases: UseCases;
  http: Pick<HttpServer, 'mount'>;
  logger: Logger;
  /**
   * Only in a cluster: sessions that one process of the cluster must hold at a time (Discord's
   * gateway shards) are owned through this. Absent in a single process, which holds them all.
   */
  shardOwnership?: (logger: Logger) => ShardOwnership;
}

export interface PlatformModule<Name extends string = string, Shape extends z.ZodRawShape = z.ZodRawShape, Settings = unknown> {
  /** The `platform` of its channels, its readiness check and its logs. */
  readonly name: Name;
  /** Its settings (environment names, all of its own prefix), merged into the config schema. */
  readonly settings: Shape;
  /** How to turn it on, for the "No chat platform is configured" message. */
  readonly hint: string;
  /** Settings whose values never reach a log (redacted by value and by key). */
  readonly secrets: readonly (keyof Shape & string)[];
  /**
   * Its settings when it is turned on, undefined when not. Settings that are set by halves
   * throw invalidConfig(...) from src/config/error.ts. (Method syntax: a registry lists
   * modules of different settings types.)
   */
  configure(values: z.output<z.ZodObject<Shape>>): Settings | undefined;
  /** The bot identity its platform-wide rate belongs to (the cluster hashes it into a key). */
  pacingKey(settings: Settings): string;
  /** Routes held on the HTTP server from its first moment, before create() mounts them. */
  reserve?(settings: Settings): readonly { method: string; path: string }[];
  /** Its adapter; imports the client library here, so a process without it never loads it. */
  create(settings: Settings, deps: PlatformDeps): Promise<PlatformAdapter>;
}

/** Any platform module, as the registry lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- settings and their types differ per module
export type AnyPlatformModule = PlatformModule<string, any, any>;

/** Identity, for inference: `definePlatform({ name: 'discord', settings: {...}, ... })`. */
export const definePlatform = <const Name extends string, Shape extends z.ZodRawShape, Settings>(m: PlatformModule<Name, Shape, Settings>) => m;
