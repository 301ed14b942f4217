// Can Herald post in this channel? Checked before /subscribe so the person subscribing
// hears the fix right away instead of finding a blocked subscription later.
import type { webApi } from '@slack/bolt';
import { slackErrorCode } from './slack-errors.js';

export const INVITE_FIX = 'Herald is not in this channel, so it cannot post here. Run `/invite @Herald` in this channel, then try again.';

export function missingScopeFix(err: unknown): string {
  const needed = (err as { data?: { needed?: unknown } }).data?.needed;
  const scope = typeof needed === 'string' && needed ? `the \`${needed}\` scope` : 'a scope';
  return `Herald's Slack app lacks ${scope}, so it cannot check this channel. Add it under OAuth & Permissions (config/slack-manifest.yml lists every scope), reinstall the app, then try again.`;
}

export type JoinResult = { ok: true } | { ok: false; error: string };

export async function joinChannel(client: webApi.WebClient, channel: string): Promise<JoinResult> {
  try {
    await client.conversations.join({ channel });
    return { ok: true };
  } catch (err) {
    return { ok: false, error: slackErrorCode(err) ?? (err as Error).message };
  }
}

export type Readiness =
  | { ok: true; joined: boolean }
  /** A message for the person who ran the command. */
  | { ok: false; message: string };

interface ChannelInfo {
  is_member?: boolean;
  is_archived?: boolean;
  is_private?: boolean;
  is_channel?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
}

/**
 * Member already → fine. Public channel → join it (channels:join), or rely on chat:write.public.
 * Private channel or DM the bot cannot see → the /invite fix. When Slack cannot tell us
 * (missing channels:read, an outage), let the command go ahead: the sender copes later.
 */
export async function ensureCanPost(client: webApi.WebClient, channel: string, scopes: ReadonlySet<string> | undefined): Promise<Readiness> {
  let info: ChannelInfo | undefined;
  try {
    info = ((await client.conversations.info({ channel })).channel ?? {}) as ChannelInfo;
  } catch (err) {
    const code = slackErrorCode(err);
    // Private channels and DMs Herald is not part of are invisible to it.
    if (code === 'channel_not_found') return { ok: false, message: INVITE_FIX };
    // A private channel needs groups:read, a public one channels:read: name the one lacking.
    if (code === 'missing_scope') return { ok: false, message: missingScopeFix(err) };
    return { ok: true, joined: false };
  }
  if (info?.is_archived) return { ok: false, message: 'This channel is archived; Herald cannot post in it.' };
  if (info?.is_member || info?.is_im) return { ok: true, joined: false };
  const isPublic = info ? info.is_channel === true && !info.is_private && !info.is_mpim : undefined;
  if (isPublic === false) return { ok: false, message: INVITE_FIX };

  const joined = await joinChannel(client, channel);
  if (joined.ok) return { ok: true, joined: true };
  if (isPublic && scopes?.has('chat:write.public')) return { ok: true, joined: false };
  if (joined.error === 'method_not_supported_for_channel_type' || joined.error === 'channel_not_found' || isPublic) return { ok: false, message: INVITE_FIX };
  return { ok: true, joined: false };
}
