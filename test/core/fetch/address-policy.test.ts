// The SSRF classifier on every spelling of a forbidden address. Nothing here opens a socket.
import { describe, expect, it } from 'vitest';
import { checkAddress, parseIpLiteral } from '../../../src/core/fetch/address-policy.js';
import { FetchError } from '../../../src/core/fetch/index.js';
import { parseNetworkList } from '../../../src/core/fetch/networks.js';
import { vetUrl } from '../../../src/core/fetch/url-policy.js';

const none = parseNetworkList('');

const blocked: [string, string][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['100.127.255.255', 'carrier-grade NAT'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456::1', 'unique-local'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['255.255.255.255', 'broadcast'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['2001:db8::1', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.1', 'benchmarking'],
  ['2001:2::1', 'benchmarking'],
  ['240.0.0.1', 'reserved'],
  ['192.0.0.8', 'reserved'],
  // IPv4 hidden in IPv6
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['0:0:0:0:0:ffff:a00:1', 'private'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['::ffff:0:7f00:1', 'loopback'],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['2002:7f00:1::1', 'loopback'],
  ['2002:c0a8:101::1', 'private'],
  ['::127.0.0.1', 'loopback'],
  ['::10.0.0.1', 'private'],
  ['64:ff9b:1::1', 'special'],
  ['2001::1', 'special'],
  ['fec0::1', 'special'],
  ['100::1', 'special'],
  // Literal spellings of 127.0.0.1
  ['2130706433', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['0x7F000001', 'loopback'],
  ['017700000001', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['0x7f.0.0.1', 'loopback'],
  ['0x7f.1', 'loopback'],
  ['127.1', 'loopback'],
  ['127.0.1', 'loopback'],
  ['[::1]', 'loopback'],
  ['[::ffff:127.0.0.1]', 'loopback'],
  // Other ranges in odd spellings
  ['167772161', 'private'],
  ['0xa9fea9fe', 'link-local'],
  ['0300.0250.0.1', 'private'],
  ['0', 'unspecified'],
];

describe('checkAddress', () => {
  it.each(blocked)('refuses %s (%s)', (addr, why) => {
    const v = checkAddress(addr, none);
    expect(v.allowed).toBe(false);
    if (!v.allowed) expect(v.reason.toLowerCase()).toContain(why.toLowerCase().split(' ')[0]!);
  });

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'allows public %s',
    (addr) => expect(checkAddress(addr, none)).toEqual({ allowed: true }),
  );

  it('lets ALLOWED_PRIVATE_NETWORKS through, in every spelling, and nothing next to it', () => {
    const allow = parseNetworkList('127.0.0.1/32, fd00::/8, 10.9.0.0/16');
    for (const a of ['127.0.0.1', '2130706433', '127.1', '::ffff:127.0.0.1', '64:ff9b::7f00:1', 'fd00::5', '10.9.3.4']) {
      expect(checkAddress(a, allow), a).toEqual({ allowed: true });
    }
    for (const a of ['127.0.0.2', '::1', '10.8.0.1', 'fc00::1', '169.254.169.254']) {
      expect(checkAddress(a, allow).allowed, a).toBe(false);
    }
  });

  it('does not mistake host names for addresses', () => {
    for (const h of ['example.com', 'localhost', 'beef', 'cafe.babe', '1e100.net', 'xn--bcher-kva.example']) {
      expect(parseIpLiteral(h), h).toBeUndefined();
    }
  });
});

describe('vetUrl (before any connection)', () => {
  const kindOf = (u: string, allow = none) => {
    try {
      vetUrl(u, allow);
      return 'ok';
    } catch (err) {
      expect(err).toBeInstanceOf(FetchError);
      return (err as FetchError).kind;
    }
  };

  it.each([
    'http://127.0.0.1/feed',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://0177.1/',
    'http://127.1/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[64:ff9b::a00:1]/',
    'https://10.0.0.1/',
    'https://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://100.64.1.1/',
    'http://0.0.0.0:80/',
    'http://0/',
    'http://192.168.0.1./',
  ])('refuses %s as blocked-address', (u) => expect(kindOf(u)).toBe('blocked-address'));

  it.each(['file:///etc/passwd', 'ftp://example.com/feed', 'gopher://example.com/', 'javascript:alert(1)', 'data:text/xml,<rss/>', 'ws://example.com/', 'https://user:pass@example.com/feed', 'https://user@example.com/feed', 'not a url'])(
    'refuses %s as bad-url',
    (u) => expect(kindOf(u)).toBe('bad-url'),
  );

  it('accepts public hosts and allowlisted literals', () => {
    expect(kindOf('https://example.com/feed.xml')).toBe('ok');
    expect(kindOf('http://93.184.216.34/')).toBe('ok');
    expect(kindOf('http://127.0.0.1:8080/', parseNetworkList('127.0.0.1/32'))).toBe('ok');
    expect(kindOf('http://127.0.0.2:8080/', parseNetworkList('127.0.0.1/32'))).toBe('blocked-address');
  });
});
