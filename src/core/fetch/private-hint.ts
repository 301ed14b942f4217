// For the operator, not for chat users: how to let Herald fetch a refused private address.
// The refusal reason starts with the address ("127.0.0.1 is a loopback address").
import { isIP } from 'node:net';

export function allowPrivateHint(reason: string): string {
  const space = reason.indexOf(' ');
  const first = (space < 0 ? reason : reason.slice(0, space)).replace(/^\[|\]$/g, '');
  const kind = isIP(first);
  const example = kind === 4 ? `${first}/32` : kind === 6 ? `${first}/128` : '10.0.0.0/8';
  return `To allow it, add its network to ALLOWED_PRIVATE_NETWORKS (comma-separated IPs or CIDRs), e.g. ALLOWED_PRIVATE_NETWORKS=${example}, in the environment, .env or the config file.`;
}
