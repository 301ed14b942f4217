// Slack request signing (v0): HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the
// signing secret, checked on the raw bytes before anything is parsed or run. Bolt's own
// verifySlackRequest does the HMAC (compared in constant time) and refuses old timestamps;
// Herald adds the checks Bolt leaves out: well-formed headers, and a timestamp too far in
// the future, which is as suspicious as an old one. Replays inside the window are the
// replay cache's job (replay-cache.ts).
import { createHmac } from 'node:crypto';
import { verifySlackRequest } from '@slack/bolt';

/** Slack's own limit: older requests may be replays. */
export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer | string;
}

/** What Slack sends in X-Slack-Signature (the tests' fakes sign with it). */
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
  if (Number(timestamp) - nowMs / 1000 > MAX_SKEW_SECONDS) return { ok: false, reason: 'timestamp more than 5 minutes in the future' };
  try {
    verifySlackRequest({
      signingSecret,
      body: typeof req.rawBody === 'string' ? req.rawBody : req.rawBody.toString('utf8'),
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      nowMilliseconds: nowMs,
    });
    return { ok: true };
  } catch (err) {
    // Bolt's messages name the failed rule ("... or request is stale", "signature mismatch").
    return { ok: false, reason: (err as Error).message };
  }
}
