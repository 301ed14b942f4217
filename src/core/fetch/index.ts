// The fetch stage: one function from (URL, validators) to bytes or a classified failure.
// Part 1 keeps it simple (timeout + size cap); hardening replaces the inside, not the shape.
import type { FailureKind } from '../../store/records.js';

export interface FetchRequest {
  url: string;
  etag?: string;
  lastModified?: string;
}

export type FetchResult =
  | {
      status: 'ok';
      /** URL after redirects. */
      url: string;
      body: Buffer;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** Set when the first hop was a permanent redirect (301/308) to this URL. */
      permanentRedirect?: string;
      /** Server's caching hint (max-age, Expires): poll no sooner than this many ms. */
      minIntervalMs?: number;
    }
  | { status: 'not-modified'; minIntervalMs?: number };

export class FetchError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly extra: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
  close(): Promise<void>;
}

export interface FetcherOptions {
  maxBytes: number;
  timeoutMs?: number;
  userAgent: string;
  allowedNetworks: import('./networks.js').Cidr[];
}

export { createSimpleFetcher as createFetcher } from './simple-fetcher.js';
