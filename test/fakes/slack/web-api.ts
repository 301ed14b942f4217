// The Web API methods Herald uses, answered the way Slack answers them: HTTP 200 with
// `ok: false` and an error code, 429 with Retry-After for rate limits.
import type { FakeSlack } from './index.js';
import { BOT_ID, BOT_USER_ID, TEAM_ID, type FakeChannel } from './state.js';

export interface ApiAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

type Method = (slack: FakeSlack, body: Record<string, unknown>, authorization: string | undefined) => ApiAnswer;

const ok = (extra: Record<string, unknown> = {}): ApiAnswer => ({ body: { ok: true, ...extra } });
const fail = (error: string, extra: Record<string, unknown> = {}): ApiAnswer => ({ body: { ok: false, error, ...extra } });

function channelJson(c: FakeChannel) {
  return { id: c.id, name: c.name, is_channel: !c.isPrivate, is_group: !!c.isPrivate, is_private: !!c.isPrivate, is_im: false, is_mpim: false, is_member: !!c.isMember, is_archived: !!c.isArchived };
}

const needScope = (slack: FakeSlack, scope: string) => (slack.scopes.has(scope) ? undefined : fail('missing_scope', { needed: scope, provided: [...slack.scopes].join(',') }));

export const METHODS: Record<string, Method> = {
  'auth.test': () => ok({ url: 'https://herald-test.slack.com/', team: 'Herald Test', user: 'herald', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID, is_enterprise_install: false }),

  'apps.connections.open': (slack, _body, authorization) => {
    if (!authorization?.startsWith('Bearer xapp-')) return fail('not_allowed_token_type');
    return ok({ url: `ws://127.0.0.1:${slack.port}/link` });
  },

  'chat.postMessage': (slack, body) => {
    const channel = String(body.channel ?? '');
    const fault = slack.takeFault(channel);
    if (fault?.error === 'ratelimited') return { status: 429, headers: { 'retry-after': String(fault.retryAfter ?? 1) }, body: { ok: false, error: 'ratelimited' } };
    if (fault?.status) return { status: fault.status, body: { ok: false, error: fault.error } };
    if (fault) return fail(fault.error);
    const c = slack.channels.get(channel);
    if (!c || (c.isPrivate && !c.isMember)) return fail('channel_not_found');
    if (c.isArchived) return fail('is_archived');
    const canPost = c.isMember || (!c.isPrivate && slack.scopes.has('chat:write.public'));
    if (!canPost) return fail('not_in_channel');
    const blocks = typeof body.blocks === 'string' ? (JSON.parse(body.blocks) as Record<string, unknown>[]) : undefined;
    const ts = slack.record(channel, String(body.text ?? ''), blocks, body);
    return ok({ channel, ts, message: { type: 'message', text: body.text, ts, bot_id: BOT_ID } });
  },

  // Slack: public channels need channels:read, private ones groups:read (and membership).
  'conversations.info': (slack, body) => {
    const c = slack.channels.get(String(body.channel ?? ''));
    const missing = needScope(slack, c?.isPrivate ? 'groups:read' : 'channels:read');
    if (!c || (c.isPrivate && !c.isMember)) return fail('channel_not_found');
    return missing ?? ok({ channel: channelJson(c) });
  },

  'conversations.join': (slack, body) => {
    const c = slack.channels.get(String(body.channel ?? ''));
    if (!c) return fail('channel_not_found');
    if (c.isPrivate) return fail('method_not_supported_for_channel_type');
    const missing = needScope(slack, 'channels:join');
    if (missing) return missing;
    if (c.isArchived) return fail('is_archived');
    c.isMember = true;
    slack.joins.push(c.id);
    return ok({ channel: channelJson(c) });
  },

  'users.info': (slack, body) => {
    const missing = needScope(slack, 'users:read');
    if (missing) return missing;
    const u = slack.users.get(String(body.user ?? ''));
    if (!u) return fail('user_not_found');
    return ok({ user: { id: u.id, team_id: TEAM_ID, name: u.id.toLowerCase(), is_admin: !!u.isAdmin, is_owner: !!u.isOwner, is_primary_owner: false, is_bot: false } });
  },

  'files.getUploadURLExternal': (slack, body) => {
    const missing = needScope(slack, 'files:write');
    if (missing) return missing;
    const fileId = slack.startUpload(String(body.filename ?? 'file'));
    return ok({ upload_url: `http://127.0.0.1:${slack.port}/upload/${fileId}`, file_id: fileId });
  },

  'files.completeUploadExternal': (slack, body) => {
    const files = JSON.parse(String(body.files ?? '[]')) as { id: string; title?: string }[];
    const done = files.map((f) => slack.completeUpload(f.id, body.channel_id === undefined ? undefined : String(body.channel_id)));
    if (done.some((d) => !d)) return fail('file_not_found');
    return ok({ files: files.map((f) => ({ id: f.id, title: f.title })) });
  },
};
