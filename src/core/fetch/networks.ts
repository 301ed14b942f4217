// ALLOWED_PRIVATE_NETWORKS: parsed once at start into CIDR ranges.
import ipaddr from 'ipaddr.js';

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export function parseNetworkList(text: string): Cidr[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      try {
        if (entry.includes('/')) return ipaddr.parseCIDR(entry);
        const addr = ipaddr.parse(entry);
        return [addr, addr.kind() === 'ipv4' ? 32 : 128] as Cidr;
      } catch {
        throw new Error(`"${entry}" is not an IP address or CIDR`);
      }
    });
}

/** True when `address` (already normalised, IPv4-mapped unwrapped) lies in one of `networks`. */
export function inNetworks(address: ipaddr.IPv4 | ipaddr.IPv6, networks: Cidr[]): boolean {
  return networks.some(([net, bits]) => address.kind() === net.kind() && address.match(net, bits));
}
