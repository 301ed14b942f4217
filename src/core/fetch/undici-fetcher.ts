// The production fetcher: undici keep-alive pools behind the SSRF-guarded connector, global and
// per-host limits, a whole-request deadline, manual redirects and conditional GET.
import { createHash } from 'node:crypto';
import { Agent } from 'undici';
import { freshnessMs, header, retryAfterMs } from './cache-hints.js';
import { DnsCache } from './dns-cache.js';
import { Deadline } from './deadline.js';
import { classifyError, FetchError } from './errors.js';
import { guardedConnector } from './guarded-connector.js';
import type { Fetcher, FetcherOptions, FetchRequest, FetchResult } from './index.js';
import { Gate, type Release } from '../limits/gate.js';
import { HostLimiter } from '../limits/host-slots.js';
import { discard, readCapped } from './read-body.js';
import { vetUrl } from './url-policy.js';

// Ranked: feed types first, generic XML/JSON next, anything last (some servers only send text/html).
export const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const PERMANENT = new Set([301, 308]);

/** A short digest of a feed body: collisions would need an attacker who controls the feed anyway. */
export function hashBody(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 22);
}

export function createUndiciFetcher(opts: FetcherOptions): Fetcher {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const queueTimeoutMs = opts.queueTimeoutMs ?? timeoutMs * 2;
  const maxRedirects = opts.maxRedirects ?? 5;
  const now = opts.now ?? Date.now;
  const resolve = opts.resolveHost ?? new DnsCache().resolve;
  const agent = new Agent({
    connect: guardedConnector({ allowed: opts.allowedNetworks, resolve, connectTimeoutMs: opts.connectTimeoutMs ?? 10_000 }),
    connections: opts.perHost ?? 2,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  // The runtime's slots when app.ts gives them (shared with the schedule), else its own.
  const hosts = opts.hosts ?? new HostLimiter(opts.perHost ?? 2);
  const global = new Gate(opts.concurrency ?? 32);

  const baseHeaders: Record<string, string> = { accept: ACCEPT, 'user-agent': opts.userAgent, 'accept-encoding': 'gzip, deflate, br' };

  async function fetchFeed(req: FetchRequest): Promise<FetchResult> {
    let url = vetUrl(req.url, opts.allowedNetworks);
    const startUrl = url.toString();
    const headers = { ...baseHeaders };
    // Empty validators are worse than none: some servers answer "If-None-Match: " with 304 forever.
    const sentEtag = req.etag?.trim();
    if (sentEtag) headers['if-none-match'] = sentEtag;
    if (req.lastModified?.trim()) headers['if-modified-since'] = req.lastModified.trim();

    // Waiting for a host slot is bounded separately: a busy host queues, a hanging one gives up.
    // A scheduled poll holds its host's slot already (the schedule took it): not a second one.
    let hostRelease: Release = req.hostSlotHeld
      ? () => {}
      : await hosts.acquire(url.host, queueTimeoutMs).catch(() => {
          throw new FetchError('timeout', `gave up waiting for a free connection to ${url.hostname}`);
        });
    let globalRelease: Release | undefined;
    const deadline = new Deadline(timeoutMs, url.hostname);
    let permanent: string | undefined;
    let stillPermanent = true;
    try {
      globalRelease = await global.acquire(deadline.remainingMs).catch(() => {
        throw new FetchError('timeout', 'too many feeds were being fetched at once; gave up waiting');
      });
      for (let hop = 0; ; hop++) {
        const res = await agent.request({ origin: url.origin, path: url.pathname + url.search, method: 'GET', headers, signal: deadline });
        const location = header(res.headers, 'location');
        if (REDIRECTS.has(res.statusCode) && location) {
          await discard(res.body);
          if (hop >= maxRedirects) throw new FetchError('http', `more than ${maxRedirects} redirects`, { status: res.statusCode });
          const next = vetUrl(location, opts.allowedNetworks, url.toString());
          next.hash = '';
          // Only an unbroken run of permanent hops from the start counts as "the feed moved".
          stillPermanent &&= PERMANENT.has(res.statusCode);
          if (stillPermanent) permanent = next.toString();
          if (next.host !== url.host) {
            hostRelease();
            hostRelease = () => {};
            hostRelease = await hosts.acquire(next.host, deadline.remainingMs).catch(() => {
              throw new FetchError('timeout', `gave up waiting for a free connection to ${next.hostname}`);
            });
          }
          url = next;
          continue;
        }
        const at = now();
        const moved = permanent && permanent !== startUrl ? { permanentRedirect: permanent } : {};
        const fresh = freshnessMs(res.headers, at);
        const hint = fresh !== undefined ? { minIntervalMs: fresh } : {};
        if (res.statusCode === 304) {
          await discard(res.body);
          return { status: 'not-modified', ...hint, ...moved };
        }
        if (res.statusCode >= 300) {
          await discard(res.body);
          const retry = res.statusCode === 429 || res.statusCode === 503 ? retryAfterMs(res.headers, at) : undefined;
          throw new FetchError('http', `the server answered HTTP ${res.statusCode}`, { status: res.statusCode, ...(retry !== undefined ? { retryAfterMs: retry } : {}) });
        }
        const etag = header(res.headers, 'etag')?.trim();
        // A 200 means the body was sent, even when its ETag is the one we sent: some servers
        // keep one ETag for ever. Whether it changed is decided by its bytes (bodyHash).
        const body = await readCapped(res.body, res.headers, opts.maxBytes);
        const out: FetchResult = { status: 'ok', url: url.toString(), body, bodyHash: hashBody(body), ...hint, ...moved };
        const contentType = header(res.headers, 'content-type');
        const lastModified = header(res.headers, 'last-modified')?.trim();
        if (contentType) out.contentType = contentType;
        if (etag) out.etag = etag;
        if (lastModified) out.lastModified = lastModified;
        return out;
      }
    } catch (err) {
      if (deadline.reason) throw deadline.reason;
      throw classifyError(err, deadline.aborted, url.hostname);
    } finally {
      deadline.clear();
      globalRelease?.();
      hostRelease();
    }
  }

  return {
    fetch: fetchFeed,
    async close() {
      await agent.close();
    },
  };
}
