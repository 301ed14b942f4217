// Server hints about how often to come back: Cache-Control max-age, Expires and Retry-After.
// They only ever make Herald poll less often (effectiveInterval clamps them).

export type Headers = Record<string, string | string[] | undefined>;

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  if (Array.isArray(v)) return v.join(', ');
  return v;
}

function parseHttpDate(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? undefined : t;
}

/** Freshness lifetime in ms from Cache-Control (max-age minus Age) or Expires; undefined if none. */
export function freshnessMs(headers: Headers, now: number): number | undefined {
  const cc = header(headers, 'cache-control')?.toLowerCase() ?? '';
  if (/(^|[\s,])(no-store|no-cache)\b/.test(cc)) return undefined;
  const maxAge = /(?:^|[\s,])max-age\s*=\s*"?(\d+)/.exec(cc);
  if (maxAge) {
    const age = Number(header(headers, 'age') ?? '0');
    const ms = (Number(maxAge[1]) - (Number.isFinite(age) ? age : 0)) * 1000;
    return ms > 0 ? ms : undefined;
  }
  const expires = parseHttpDate(header(headers, 'expires'));
  if (expires === undefined) return undefined;
  // Measure against the server's own clock when it sent one: clocks disagree more than you'd think.
  const serverNow = parseHttpDate(header(headers, 'date')) ?? now;
  const ms = expires - serverNow;
  return ms > 0 ? ms : undefined;
}

/** Retry-After as ms: delta-seconds or an HTTP date. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const v = header(headers, 'retry-after')?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = parseHttpDate(v);
  if (at === undefined) return undefined;
  const serverNow = parseHttpDate(header(headers, 'date')) ?? now;
  return Math.max(0, at - serverNow);
}
