// The fetch stage: one function from (URL, validators) to bytes or a classified failure.
import type { ResolveHost } from './dns-cache.js';
import type { Cidr } from './networks.js';
import type { HostSlots } from '../runtime/ports.js';

export { FetchError } from './errors.js';

export interface FetchRequest {
  url: string;
  etag?: string;
  lastModified?: string;
  /** A scheduled poll: the schedule holds a slot of this host already (FETCH_PER_HOST). */
  hostSlotHeld?: boolean;
}

export type FetchResult =
  | {
      status: 'ok';
      /** URL after redirects. */
      url: string;
      body: Buffer;
      /** Hash of `body`: a 200 with the bytes already seen is unchanged, whatever its ETag says. */
      bodyHash: string;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** Set when the first hop was a permanent redirect (301/308) to this URL. */
      permanentRedirect?: string;
      /** Server's caching hint (max-age, Expires): poll no sooner than this many ms. */
      minIntervalMs?: number;
    }
  | {
      status: 'not-modified';
      minIntervalMs?: number;
      /** As above: a 304 can still come from behind a permanent redirect. */
      permanentRedirect?: string;
    };

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
  close(): Promise<void>;
}

export interface FetcherOptions {
  /** FEED_MAX_BYTES: the body (after decompression) is cut off past this. */
  maxBytes: number;
  /** Whole-request deadline (all redirect hops and the body), default 20 s. */
  timeoutMs?: number;
  /** TCP + TLS connect deadline per address, default 10 s. */
  connectTimeoutMs?: number;
  /** How long a request may wait for a free slot for its host, default 2 × timeoutMs. */
  queueTimeoutMs?: number;
  userAgent: string;
  /** ALLOWED_PRIVATE_NETWORKS: private ranges the operator allows. */
  allowedNetworks: Cidr[];
  /** Requests in flight per host, default 2 (with `hosts` given: only the size of the connection pool). */
  perHost?: number;
  /** The runtime's per-host slots, shared with the schedule so FETCH_PER_HOST holds in one place. */
  hosts?: HostSlots;
  /** Requests in flight overall, default 32. */
  concurrency?: number;
  /** Redirect hops followed, default 5. */
  maxRedirects?: number;
  /** Replaces DNS resolution; tests use it to point a name at a loopback address. */
  resolveHost?: ResolveHost;
  now?: () => number;
}

export { createUndiciFetcher as createFetcher } from './undici-fetcher.js';
