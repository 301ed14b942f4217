// An undici connector that resolves the host itself, vets every address it would dial and
// then connects to that exact IP. Checking the URL's host name is not enough: DNS can point
// a public name at 127.0.0.1 (or change between check and connect), so the check has to sit
// where the socket is opened. Redirect hops and pooled reconnects all come through here.
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { checkAddress } from './address-policy.js';
import type { ResolvedAddress, ResolveHost } from './dns-cache.js';
import { BlockedAddressError } from './errors.js';
import type { Cidr } from './networks.js';

export interface GuardedConnectorOptions {
  allowed: Cidr[];
  resolve: ResolveHost;
  connectTimeoutMs: number;
}

export function guardedConnector(o: GuardedConnectorOptions): buildConnector.connector {
  const base = buildConnector({ timeout: o.connectTimeoutMs });

  return (opts, callback) => {
    const dial = (candidates: ResolvedAddress[], lastError?: Error): void => {
      const [next, ...rest] = candidates;
      if (!next) {
        callback(lastError ?? new Error(`no address to connect to for ${opts.hostname}`), null);
        return;
      }
      // `host` still carries the name, so undici derives SNI and certificate checks from it.
      base({ ...opts, hostname: next.address }, (err, socket) => {
        if (err) return rest.length ? dial(rest, err) : callback(err, null);
        callback(null, socket as NonNullable<typeof socket>);
      });
    };

    const family = isIP(opts.hostname);
    const lookup = family ? Promise.resolve([{ address: opts.hostname, family: family as 4 | 6 }]) : o.resolve(opts.hostname);
    lookup.then(
      (addresses) => {
        const refusals: string[] = [];
        const usable = addresses.filter((a) => {
          const verdict = checkAddress(a.address, o.allowed);
          if (!verdict.allowed) refusals.push(verdict.reason);
          return verdict.allowed;
        });
        if (!usable.length) {
          const why = refusals[0] ?? 'it has no address';
          callback(new BlockedAddressError(`${opts.hostname} resolves to a forbidden address: ${why}`), null);
          return;
        }
        // IPv4 first: many hosts publish AAAA records that are not reachable from here.
        dial([...usable.filter((a) => a.family === 4), ...usable.filter((a) => a.family === 6)]);
      },
      (err: Error) => callback(err, null),
    );
  };
}
