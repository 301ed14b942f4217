// Host name → addresses, cached by TTL. dns.lookup runs getaddrinfo on libuv's 4-thread pool,
// so a few slow names can stall every other lookup (and fs work); c-ares queries do not.
// getaddrinfo remains the fallback for names only /etc/hosts knows.
import { lookup } from 'node:dns/promises';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export interface DnsCacheOptions {
  minTtlMs?: number;
  maxTtlMs?: number;
  /** How long "not found" is remembered, so a dead host does not cost a query per poll. */
  negativeTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
  /** Replaces the DNS query (A + AAAA with TTLs) and turns off the getaddrinfo fallback; for tests. */
  query?: (hostname: string) => Promise<(ResolvedAddress & { ttl: number })[]>;
}

interface Entry {
  expires: number;
  addresses?: ResolvedAddress[];
  error?: Error;
}

export class DnsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<ResolvedAddress[]>>();
  private readonly resolver = new Resolver({ timeout: 3000, tries: 2 });
  private readonly now: () => number;

  constructor(private readonly o: DnsCacheOptions = {}) {
    this.now = o.now ?? Date.now;
  }

  resolve: ResolveHost = (hostname) => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    const family = isIP(host);
    if (family) return Promise.resolve([{ address: host, family: family as 4 | 6 }]);
    // RFC 6761: localhost names never leave the machine, whatever DNS says.
    if (host === 'localhost' || host.endsWith('.localhost')) {
      return Promise.resolve([
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ]);
    }
    const hit = this.entries.get(host);
    if (hit && hit.expires > this.now()) return hit.error ? Promise.reject(hit.error) : Promise.resolve(hit.addresses ?? []);
    const running = this.pending.get(host);
    if (running) return running;
    const p = this.query(host).finally(() => this.pending.delete(host));
    this.pending.set(host, p);
    return p;
  };

  private async records(host: string): Promise<(ResolvedAddress & { ttl: number })[]> {
    if (this.o.query) return this.o.query(host).catch(() => []);
    const [v4, v6] = await Promise.allSettled([this.resolver.resolve4(host, { ttl: true }), this.resolver.resolve6(host, { ttl: true })]);
    return [
      ...(v4.status === 'fulfilled' ? v4.value.map((r) => ({ address: r.address, family: 4 as const, ttl: r.ttl })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((r) => ({ address: r.address, family: 6 as const, ttl: r.ttl })) : []),
    ];
  }

  private async query(host: string): Promise<ResolvedAddress[]> {
    const records = await this.records(host);
    if (records.length) {
      const ttlMs = Math.min(...records.map((r) => r.ttl)) * 1000;
      const addresses = records.map(({ address, family }) => ({ address, family }));
      this.store(host, { expires: this.now() + this.clampTtl(ttlMs), addresses });
      return addresses;
    }
    try {
      if (this.o.query) throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      const found = await lookup(host, { all: true, verbatim: true });
      const addresses = found.map((a) => ({ address: a.address, family: (a.family === 6 ? 6 : 4) as 4 | 6 }));
      this.store(host, { expires: this.now() + this.clampTtl(60_000), addresses });
      return addresses;
    } catch (err) {
      this.store(host, { expires: this.now() + (this.o.negativeTtlMs ?? 30_000), error: err as Error });
      throw err;
    }
  }

  private clampTtl(ms: number): number {
    return Math.min(Math.max(ms, this.o.minTtlMs ?? 30_000), this.o.maxTtlMs ?? 600_000);
  }

  private store(host: string, entry: Entry) {
    // Bounded: the oldest inserted name goes first (Map keeps insertion order).
    if (this.entries.size >= (this.o.maxEntries ?? 20_000)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(host);
    this.entries.set(host, entry);
  }
}
