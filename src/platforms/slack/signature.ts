// Slack request signing (v0): HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the
// signing secret. Checked on the raw bytes before anything is parsed or run.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's own limit: older requests may be replays. */
export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer | string;
}

export function signSlackRequest(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', signingSecret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest('hex')}`;
}

export function verifySlackSignature(signingSecret: string, req: SignedRequest, nowMs = Date.now()): SignatureCheck {
  const { timestamp, signature } = req;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed X-Slack-Request-Timestamp' };
  if (!signature || !signature.startsWith('v0=')) return { ok: false, reason: 'missing or malformed X-Slack-Signature' };
  // Both directions: a timestamp far in the future is as suspicious as an old one.
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale timestamp (more than 5 minutes off)' };
  const expected = Buffer.from(signSlackRequest(signingSecret, timestamp, req.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
