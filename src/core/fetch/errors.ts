// FetchError and the mapping from socket/undici errors to Herald's failure kinds.
import type { FailureKind } from '../../domain/records.js';

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

/** Raised by the guarded connector; a code rather than a class so it survives undici's wrapping. */
export const BLOCKED_CODE = 'EHERALD_BLOCKED';

export class BlockedAddressError extends Error {
  readonly code = BLOCKED_CODE;
  constructor(message: string) {
    super(message);
    this.name = 'BlockedAddressError';
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL', 'EREFUSED', 'ENONAME', 'EBADNAME']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'ETIMEOUT']);
const TLS_CODE = /^(ERR_TLS|ERR_SSL|ERR_OSSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_TLS_CERT)/;

function codeOf(err: unknown): string {
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  // undici sometimes nests the socket error one or two levels down in `cause`.
  for (let depth = 0; e && depth < 3; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return '';
}

/** Classifies anything thrown while fetching. `timedOut` is our own deadline having fired. */
export function classifyError(err: unknown, timedOut: boolean, host: string): FetchError {
  if (err instanceof FetchError) return err;
  if (timedOut) return new FetchError('timeout', `${host} took too long to answer`);
  const code = codeOf(err);
  const message = (err as Error | undefined)?.message ?? String(err);
  if (code === BLOCKED_CODE) return new FetchError('blocked-address', message);
  if (DNS_CODES.has(code)) return new FetchError('dns', `host not found: ${host}`);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new FetchError('timeout', `could not connect to ${host} in time`);
  if (TIMEOUT_CODES.has(code)) return new FetchError('timeout', `${host} took too long to answer`);
  if (TLS_CODE.test(code) || /certificate|TLS|SSL/i.test(message)) return new FetchError('tls', `TLS error with ${host} (${code || message})`);
  if (code.startsWith('HPE_')) return new FetchError('connect', `${host} sent an invalid HTTP response (${code})`);
  return new FetchError('connect', `could not connect to ${host} (${code || message || 'network error'})`);
}
