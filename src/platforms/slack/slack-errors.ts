// Web API failures → SendResult. The WebClient runs with retries off and rate-limited calls
// rejected, so every failure lands here and the core queue decides when to try again.
import { webApi } from '@slack/bolt';
import type { SendResult } from '../../domain/types.js';

export const NOT_IN_CHANNEL_REASON = 'not in channel: /invite @Herald';

/** The Slack error code of a platform error (`ok: false`), else undefined. */
export function slackErrorCode(err: unknown): string | undefined {
  return err instanceof webApi.WebAPIPlatformError ? err.data.error : undefined;
}

export const CHANNEL_NOT_FOUND_REASON = 'channel not found: if it is private, /invite @Herald back';

/**
 * Only these say the channel is really gone. `channel_not_found` is not among them: Slack
 * answers it too for a private channel Herald was removed from, which an /invite undoes.
 */
const GONE = new Set(['channel_deleted', 'is_archived']);
const BLOCKED = new Set([
  'missing_scope',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'ekm_access_denied',
  'team_access_not_granted',
  'not_allowed_token_type',
  'no_permission',
]);
/** The token itself is bad: every channel fails alike, so no channel is to blame. */
const AUTH = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
/** The payload was refused; the sender retries once as plain text before giving up on blocks. */
export const PAYLOAD_ERRORS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'invalid_attachments', 'too_many_attachments', 'invalid_arguments']);

/** Slack answers 5xx and these as temporary. */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

export function classifySlackError(err: unknown): SendResult {
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return { ok: false, kind: 'retry', reason: 'rate limited', retryAfterMs: Math.max(1, err.retryAfter) * 1000 };
  }
  if (err instanceof webApi.WebAPIPlatformError) {
    const code = err.data.error;
    if (GONE.has(code)) return { ok: false, kind: 'gone', reason: code };
    if (code === 'not_in_channel') return { ok: false, kind: 'blocked', reason: NOT_IN_CHANNEL_REASON };
    if (code === 'channel_not_found') return { ok: false, kind: 'blocked', reason: CHANNEL_NOT_FOUND_REASON };
    if (BLOCKED.has(code)) {
      // missing_scope names the scope to add; the reason shows up in /feeds list.
      const { needed } = err.data as { needed?: string };
      return { ok: false, kind: 'blocked', reason: needed ? `${code} (needs ${needed})` : code };
    }
    if (code === 'ratelimited') {
      const after = Number(err.data.response_metadata?.retryAfter ?? 1);
      return { ok: false, kind: 'retry', reason: 'rate limited', retryAfterMs: Math.max(1, after) * 1000 };
    }
    if (TRANSIENT.has(code)) return { ok: false, kind: 'retry', reason: `Slack: ${code}` };
    if (AUTH.has(code)) return { ok: false, kind: 'retry', reason: `Slack refused the bot token (${code}); check SLACK_BOT_TOKEN`, retryAfterMs: 60_000 };
    // Unknown refusals: retrying soon cannot help, but dropping would lose an item.
    return { ok: false, kind: 'retry', reason: `Slack rejected the message: ${code}`, retryAfterMs: 60_000 };
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    if (err.statusCode === 429) {
      const after = Number(err.headers['retry-after'] ?? 1);
      return { ok: false, kind: 'retry', reason: 'rate limited', retryAfterMs: (Number.isFinite(after) ? Math.max(1, after) : 1) * 1000 };
    }
    if (err.statusCode >= 500) return { ok: false, kind: 'retry', reason: `Slack answered HTTP ${err.statusCode}` };
    return { ok: false, kind: 'retry', reason: `Slack answered HTTP ${err.statusCode}`, retryAfterMs: 60_000 };
  }
  const cause = err instanceof webApi.WebAPIRequestError ? err.original : err;
  return { ok: false, kind: 'retry', reason: `network error: ${(cause as Error)?.message ?? String(cause)}` };
}
