// The SSRF classifier: which IP addresses Herald may dial. Pure functions, no I/O, so every
// spelling of a forbidden address can be unit-tested without opening a connection.
import ipaddr from 'ipaddr.js';
import { inNetworks, type Cidr } from './networks.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export type Verdict = { allowed: true } | { allowed: false; reason: string };

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

const RANGE_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private network address',
  uniqueLocal: 'a unique-local address',
  reserved: 'a reserved, documentation or benchmarking address',
  benchmarking: 'a benchmarking address',
};

/**
 * Parses any literal spelling of an IP address: dotted quads, one-number forms (2130706433,
 * 0x7f000001, 017700000001), short forms (127.1), bracketed IPv6 and zone ids.
 * Returns undefined for host names.
 */
export function parseIpLiteral(host: string): Address | undefined {
  const text = host.trim().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (!text || !ipaddr.isValid(text)) return undefined;
  try {
    return ipaddr.parse(text);
  } catch {
    return undefined;
  }
}

function v4FromLow32(a: ipaddr.IPv6): ipaddr.IPv4 {
  const p = a.parts;
  const hi = p[6] ?? 0;
  const lo = p[7] ?? 0;
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/**
 * The IPv4 address an IPv6 form really reaches, when it embeds one: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:AABB:CCDD::) and the
 * deprecated IPv4-compatible form (::a.b.c.d). Without this, ::ffff:127.0.0.1 would pass as "IPv6".
 */
export function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (a.isIPv4MappedAddress()) return a.toIPv4Address();
  const range = a.range();
  if (range === 'rfc6145') return v4FromLow32(a);
  if (a.match(NAT64_WELL_KNOWN)) return v4FromLow32(a);
  if (range === '6to4') {
    const p = a.parts;
    const hi = p[1] ?? 0;
    const lo = p[2] ?? 0;
    return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  }
  if (a.match(IPV4_COMPATIBLE) && range !== 'unspecified' && range !== 'loopback') return v4FromLow32(a);
  return undefined;
}

function describe(a: Address): string {
  const words = RANGE_WORDS[a.range()];
  return words ?? `a special-purpose address (${a.range()})`;
}

/** Decides whether Herald may connect to `address`. `allowed` is ALLOWED_PRIVATE_NETWORKS. */
export function checkAddress(address: Address | string, allowed: Cidr[]): Verdict {
  const parsed = typeof address === 'string' ? parseIpLiteral(address) : address;
  if (!parsed) return { allowed: false, reason: `${String(address)} is not an IP address` };
  const inner = parsed.kind() === 'ipv6' ? embeddedIPv4(parsed as ipaddr.IPv6) : undefined;
  const effective: Address = inner ?? parsed;
  // The operator's allowlist wins over every rule below, in both spellings.
  if (inNetworks(effective, allowed) || inNetworks(parsed, allowed)) return { allowed: true };
  const shown = parsed.toString();
  if (effective.kind() === 'ipv4') {
    if (effective.range() === 'unicast') return { allowed: true };
    const via = inner ? ` (it embeds ${effective.toString()})` : '';
    return { allowed: false, reason: `${shown} is ${describe(effective)}${via}` };
  }
  const v6 = effective as ipaddr.IPv6;
  // Only global unicast (2000::/3) is reachable on the public internet; the rest is local or special.
  if (v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST_V6)) return { allowed: true };
  return { allowed: false, reason: `${shown} is ${describe(v6)}` };
}
