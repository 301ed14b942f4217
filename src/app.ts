// Composition root as a function: config → logger → HTTP → store → runtime → core → adapters.
// The runtime (one process, or a cluster on Redis) is chosen here and nowhere else; the core
// is built on its ports and knows no more. The platforms are src/platforms/registry.ts's
// modules, named nowhere here. main.ts runs this for `npm start`; end-to-end
// tests run it in-process.
import { hostname } from 'node:os';
import type { Config } from './config/index.js';
import { createUseCases } from './application/index.js';
import { createCore, type HeraldCore } from './core/herald.js';
import { createFetcher } from './core/fetch/index.js';
import type { ResolveHost } from './core/fetch/dns-cache.js';
import { listenError } from './http/listen-error.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import type { PlatformAdapter } from './platforms/adapter.js';
import type { AnyPlatformModule } from './platforms/module.js';
import { PLATFORMS } from './platforms/registry.js';
import type { ClusterRuntime } from './cluster/cluster-runtime.js';
import { localRuntime } from './core/runtime/local.js';
import type { Runtime } from './core/runtime/ports.js';
import { createStore } from './store/index.js';
import { acquireLease, LEASE_KEY, type Lease } from './store/lease.js';
import { isLeaseValue, leaseHeldMessage, takeoverReason, thisProcess } from './store/lease-holder.js';
import type { Store } from './store/index.js';
import type { Fetcher } from './core/fetch/index.js';
import { redactUrl } from './store/open-keyv.js';
import { USER_AGENT, VERSION } from './version.js';

export interface HeraldApp {
  core: HeraldCore;
  http: HttpServer;
  port: number;
  adapters: PlatformAdapter[];
  logger: Logger;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Replaces DNS for feed hosts; tests use it so no query ever leaves the machine. */
  resolveHost?: ResolveHost;
  /** Bind address for the HTTP server instead of HOST; tests use 127.0.0.1. */
  host?: string;
  /** Another instance took over this store's lease: this one must stop (main.ts exits). */
  onLeaseLost?: () => void;
  /** The platform registry; tests pass a longer one (with the config parsed against it). */
  platforms?: readonly AnyPlatformModule[];
}

/** A registered platform that the config turned on, with its settings. */
interface TurnedOn {
  module: AnyPlatformModule;
  settings: unknown;
}

/** Values and names of every platform's secret settings: the logger redacts both. */
export function platformSecrets(config: Config, platforms: readonly AnyPlatformModule[] = PLATFORMS): { values: string[]; keys: string[] } {
  const keys = platforms.flatMap((p) => p.secrets);
  const values = keys.map((k) => (config as unknown as Record<string, unknown>)[k]).filter((v): v is string => typeof v === 'string' && v !== '');
  return { values, keys };
}

export async function startHerald(config: Config, opts: StartOptions = {}): Promise<HeraldApp> {
  const platforms = opts.platforms ?? PLATFORMS;
  const settingsOf = config.platforms as Record<string, unknown>;
  const turnedOn: TurnedOn[] = platforms.filter((m) => settingsOf[m.name] !== undefined).map((m) => ({ module: m, settings: settingsOf[m.name] }));
  const secrets = platformSecrets(config, platforms);
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, secrets.values, undefined, secrets.keys);
  if (config.POLL_INTERVAL < 60_000) logger.warn({ pollIntervalMs: config.POLL_INTERVAL }, 'POLL_INTERVAL is below 1 minute; publishers may throttle or block frequent pollers');

  const metrics = createMetrics();
  const adapters: PlatformAdapter[] = [];
  let storeOpen = false;
  let cluster: ClusterRuntime | undefined;
  // Every configured platform is checked, not only the adapters created so far: readiness
  // must not pass in the moment between the store opening and the adapters starting.
  const configured = turnedOn.map((p) => p.module.name);
  const platformCheck = (name: string) => {
    const a = adapters.find((x) => x.name === name);
    if (!a) return { ready: false, reason: `${name} not started` };
    return a.isReady() ? { ready: true } : { ready: false, reason: `${name} not connected` };
  };
  const http = createHttpServer({
    registry: metrics.registry,
    readiness: {
      check: () => ({
        store: storeOpen ? { ready: true } : { ready: false, reason: 'store not open' },
        ...(config.HERALD_CLUSTER ? { redis: cluster ? cluster.check() : { ready: false, reason: 'cluster not started' } } : {}),
        ...Object.fromEntries(configured.map((name) => [name, platformCheck(name)])),
      }),
    },
  });
  // A platform's HTTP routes exist from the first moment: a request that arrives while the
  // store and the platform are still starting waits briefly instead of meeting a 404.
  for (const { module, settings } of turnedOn) for (const r of module.reserve?.(settings) ?? []) http.reserve(r.method, r.path);
  // Liveness first: /healthz answers while the store and platforms are still connecting.
  const host = opts.host ?? config.HOST;
  const port = await http.listen(config.PORT, host).catch((err: unknown) => {
    throw listenError(err, config.PORT, host);
  });

  // Whatever was opened is closed again when start-up fails, newest first: above all the
  // lease, or the next attempt would find it held (and take it over with a warning).
  const opened: (() => Promise<unknown>)[] = [() => http.close()];
  const undo = async () => {
    for (const close of opened.reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'cleanup after a failed start'));
  };
  try {
    // Errors after start (a dropped connection) would otherwise go unlogged.
    const store = await createStore(config.DATABASE_URL, 'herald', { onError: (err) => logger.warn({ err }, 'store error'), cluster: config.HERALD_CLUSTER });
    opened.push(() => store.close());
    // One Herald per store (the repositories cache in memory): refuse to start next to another.
    // A cluster shares the store instead: job locks and pub/sub take the lease's place.
    let lease: Lease | undefined;
    if (config.HERALD_CLUSTER) {
      // A single-process Herald on this Redis (HERALD_CLUSTER=false, or one from before the
      // cluster became the default) would poll and post beside the cluster: refuse instead.
      const single: unknown = await store.keyv.get(LEASE_KEY);
      if (isLeaseValue(single) && !takeoverReason(single, thisProcess(), Date.now())) {
        throw new Error(`${leaseHeldMessage(single.holder, single.expiresAt, Date.now())} It runs as a single process (HERALD_CLUSTER=false, or an older Herald), which cannot share the store with a cluster.`);
      }
      const { ClusterRuntime } = await import('./cluster/cluster-runtime.js');
      cluster = new ClusterRuntime({
        url: config.DATABASE_URL,
        prefix: 'herald:cluster',
        logger,
        pollIntervalMs: config.POLL_INTERVAL,
        pollConcurrency: config.FETCH_CONCURRENCY,
        perHost: config.FETCH_PER_HOST,
        tokens: Object.fromEntries(turnedOn.map(({ module, settings }) => [module.name, module.pacingKey(settings)])),
      });
      const node = cluster;
      opened.push(() => node.close());
    } else {
      const held = await acquireLease(store.keyv, { logger, onLost: opts.onLeaseLost });
      lease = held;
      opened.push(() => held.release());
    }
    storeOpen = true;
    metrics.setFeedSource(() => store.feeds.list());
    // The runtime is chosen here, once; the core above it is the same for both.
    const runtime: Runtime = cluster ?? localRuntime({ pollIntervalMs: config.POLL_INTERVAL, pollConcurrency: config.FETCH_CONCURRENCY, perHost: config.FETCH_PER_HOST });
    const fetcher = createFetcher({
      maxBytes: config.FEED_MAX_BYTES,
      userAgent: USER_AGENT,
      allowedNetworks: config.ALLOWED_PRIVATE_NETWORKS,
      ...(opts.resolveHost ? { resolveHost: opts.resolveHost } : {}),
      // FETCH_PER_HOST is the runtime's slots, shared with the schedule: one limit, in one
      // place (perHost only sizes the connection pool to match).
      hosts: runtime.hosts,
      perHost: config.FETCH_PER_HOST,
      concurrency: config.FETCH_CONCURRENCY,
    });
    opened.push(() => fetcher.close());
    const core = createCore({
      store,
      fetcher,
      logger,
      metrics,
      runtime,
      settings: {
        pollIntervalMs: config.POLL_INTERVAL,
        maxFailures: config.FEED_MAX_FAILURES,
        maxItemsPerPoll: config.MAX_ITEMS_PER_POLL,
        deliveryMaxAgeMs: config.DELIVERY_MAX_AGE,
        fetchConcurrency: config.FETCH_CONCURRENCY,
        fetchPerHost: config.FETCH_PER_HOST,
        tenantLimits: { maxPerChannel: config.MAX_SUBSCRIPTIONS_PER_CHANNEL, maxPerWorkspace: config.MAX_SUBSCRIPTIONS_PER_GUILD, checksPerMinute: config.FEED_CHECKS_PER_MINUTE },
      },
    });
    // One set of use cases, for every platform's commands and events.
    const useCases = createUseCases(core);

    // Each platform loads its client library in create(): one that is off is never loaded.
    const node = cluster;
    const shardOwnership = node ? { shardOwnership: (log: Logger) => node.shardOwnership(log) } : {};
    for (const { module, settings } of turnedOn) adapters.push(await module.create(settings, { herald: core, useCases, http, logger, ...shardOwnership }));
    // A half-connected adapter (gateway up, command registration refused) must let go too.
    opened.push(() => Promise.allSettled(adapters.map((a) => a.stop())));
    await Promise.all(adapters.map((a) => a.start()));
    opened.push(() => core.stop());
    opened.push(() => runtime.stopWorkers());
    await core.start();

    logger.info(
      { version: VERSION, platforms: adapters.map((a) => a.name), store: store.kind, database: redactUrl(config.DATABASE_URL), feeds: store.feeds.list().length, port, host: hostname(), listen: host },
      `Herald ${VERSION} started: ${adapters.map((a) => a.name).join(' + ')}, ${store.kind} store, ${store.feeds.list().length} feeds`,
    );
    return running({ core, http, port, adapters, logger, store, fetcher, lease, runtime });
  } catch (err) {
    await undo();
    throw err;
  }
}

interface Parts {
  core: HeraldCore;
  http: HttpServer;
  port: number;
  adapters: PlatformAdapter[];
  logger: Logger;
  store: Store;
  fetcher: Fetcher;
  lease: Lease | undefined;
  runtime: Runtime;
}

function running({ core, http, port, adapters, logger, store, fetcher, lease, runtime }: Parts): HeraldApp {
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Cluster: the gateway shards go to their successors first, so a command arriving now
      // runs in a process whose workers and core are still up (this one, or the successor).
      await Promise.allSettled(adapters.map((a) => a.handOver?.()));
      // Cluster: no new jobs first; what is under way finishes or is retried by the others.
      await runtime.stopWorkers();
      await core.stop();
      // Gives the gateway shards back (their locks live on the cluster's connection).
      await Promise.allSettled(adapters.map((a) => a.stop()));
      await runtime.close();
      await fetcher.close();
      await http.close();
      await lease?.release();
      await store.close();
      logger.info('Herald stopped');
    })());
  return { core, http, port, adapters, logger, stop };
}

