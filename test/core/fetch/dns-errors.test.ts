// The DNS cache (TTL, negative caching, one query per name at a time) and error classification.
import { describe, expect, it } from 'vitest';
import { DnsCache } from '../../../src/core/fetch/dns-cache.js';
import { BlockedAddressError, classifyError, FetchError } from '../../../src/core/fetch/errors.js';

describe('DnsCache', () => {
  it('answers literals and localhost without asking DNS', async () => {
    let asked = 0;
    const dns = new DnsCache({ query: async () => (asked++, []) });
    expect(await dns.resolve('127.0.0.1')).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(await dns.resolve('::1')).toEqual([{ address: '::1', family: 6 }]);
    expect((await dns.resolve('LocalHost.')).map((a) => a.address)).toEqual(['127.0.0.1', '::1']);
    expect((await dns.resolve('app.localhost')).length).toBe(2);
    expect(asked).toBe(0);
  });

  it('caches by TTL (clamped), shares a query in flight and remembers failures briefly', async () => {
    let now = 0;
    const asked: string[] = [];
    const dns = new DnsCache({
      now: () => now,
      minTtlMs: 30_000,
      negativeTtlMs: 10_000,
      query: async (host) => {
        asked.push(host);
        await new Promise((r) => setTimeout(r, 5));
        return host === 'feeds.test' ? [{ address: '93.184.216.34', family: 4, ttl: 5 }] : [];
      },
    });
    const [a, b] = await Promise.all([dns.resolve('feeds.test'), dns.resolve('FEEDS.test')]);
    expect(a).toEqual([{ address: '93.184.216.34', family: 4 }]);
    expect(b).toEqual(a);
    expect(asked).toEqual(['feeds.test']);
    now = 29_000; // TTL 5 s is raised to the 30 s minimum
    await dns.resolve('feeds.test');
    expect(asked).toHaveLength(1);
    now = 31_000;
    await dns.resolve('feeds.test');
    expect(asked).toHaveLength(2);

    await expect(dns.resolve('gone.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(dns.resolve('gone.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(asked.filter((h) => h === 'gone.test')).toHaveLength(1);
    now += 11_000;
    await expect(dns.resolve('gone.test')).rejects.toThrow();
    expect(asked.filter((h) => h === 'gone.test')).toHaveLength(2);
  });
});

describe('classifyError', () => {
  const kind = (err: unknown, timedOut = false) => classifyError(err, timedOut, 'feeds.example').kind;
  const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

  it('maps socket, DNS, TLS and undici errors to failure kinds', () => {
    expect(kind(coded('ENOTFOUND'))).toBe('dns');
    expect(kind(coded('EAI_AGAIN'))).toBe('dns');
    expect(kind(coded('ECONNREFUSED'))).toBe('connect');
    expect(kind(coded('ECONNRESET'))).toBe('connect');
    expect(kind(coded('EHOSTUNREACH'))).toBe('connect');
    expect(kind(coded('UND_ERR_CONNECT_TIMEOUT'))).toBe('timeout');
    expect(kind(coded('UND_ERR_HEADERS_TIMEOUT'))).toBe('timeout');
    expect(kind(coded('UND_ERR_BODY_TIMEOUT'))).toBe('timeout');
    expect(kind(coded('CERT_HAS_EXPIRED'))).toBe('tls');
    expect(kind(coded('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('tls');
    expect(kind(coded('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe('tls');
    expect(kind(coded('ERR_SSL_WRONG_VERSION_NUMBER'))).toBe('tls');
    expect(kind(coded('HPE_INVALID_CONSTANT'))).toBe('connect');
    expect(kind(new BlockedAddressError('x resolves to 10.0.0.1'))).toBe('blocked-address');
    expect(kind(Object.assign(new Error('fetch failed'), { cause: coded('ENOTFOUND') }))).toBe('dns');
    expect(kind(new Error('aborted'), true)).toBe('timeout');
    const own = new FetchError('too-large', 'x');
    expect(classifyError(own, false, 'h')).toBe(own);
  });
});
