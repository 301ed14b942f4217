// Where posts can go in the fake Discord besides plain text channels: forum and media
// channels (no plain messages: 50008), threads (from a message, or forum posts),
// announcement channels (crossposts), channel webhooks and their executions.
// Shapes follow Discord's API docs and ../shared/specs/discord-openapi.json.

export const CHANNEL = { text: 0, announcement: 5, announcementThread: 10, publicThread: 11, forum: 15, media: 16 } as const;

export interface FakeChannelSpec {
  id: string;
  type?: number;
  name?: string;
  /** Forum tags. */
  tags?: { id: string; name: string }[];
  /** For threads. */
  parentId?: string;
}

export interface FakeChannelState {
  id: string;
  type: number;
  name: string;
  guildId: string;
  tags: { id: string; name: string }[];
  parentId?: string;
}

export interface FakeThread {
  id: string;
  parentId: string;
  name: string;
  /** The forum post's or source message's id. */
  messageId: string;
  source: 'forum' | 'message' | 'webhook-forum';
  appliedTags: string[];
}

export interface FakeWebhook {
  id: string;
  token: string;
  channelId: string;
  name: string;
}

export interface WebhookExecution {
  webhookId: string;
  channelId: string;
  /** Where the message landed: the channel, a thread of it, or a new forum post. */
  postedIn: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

export const isForumType = (t: number) => t === CHANNEL.forum || t === CHANNEL.media;
export const isThreadType = (t: number) => t === CHANNEL.publicThread || t === CHANNEL.announcementThread || t === 12;

export function channelJson(c: FakeChannelState) {
  const base = { id: c.id, type: c.type, name: c.name, guild_id: c.guildId, position: 0, permission_overwrites: [], flags: 0 };
  if (isThreadType(c.type)) {
    return { ...base, parent_id: c.parentId ?? null, owner_id: '1', thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false }, message_count: 0, member_count: 1, total_message_sent: 0 };
  }
  if (isForumType(c.type)) return { ...base, available_tags: c.tags.map((t) => ({ ...t, moderated: false, emoji_id: null, emoji_name: null })), default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0 };
  return base;
}

/**
 * Which roles a message really pings: `<@&id>` in its content, allowed by allowed_mentions
 * (roles listed, or `parse` containing "roles"). @everyone/@here only with parse "everyone".
 */
export function pingsOf(body: Record<string, unknown>): { roles: string[]; everyone: boolean } {
  const content = String(body.content ?? '');
  const allowed = (body.allowed_mentions ?? undefined) as { parse?: string[]; roles?: string[] } | undefined;
  const parse = allowed ? (allowed.parse ?? []) : ['roles', 'users', 'everyone'];
  const named = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!);
  const roles = [...new Set(named.filter((id) => parse.includes('roles') || (allowed?.roles ?? []).includes(id)))];
  return { roles, everyone: parse.includes('everyone') && /@(everyone|here)/.test(content) };
}

/** How long Discord remembers a nonce for enforce_nonce ("the last few minutes"). */
export const NONCE_WINDOW_MS = 5 * 60_000;

/**
 * Discord's enforce_nonce: a Create Message whose nonce the same author already used in
 * the same channel within the window answers the message created then, and creates none.
 * Without enforce_nonce a nonce is only echoed back, as on Discord.
 */
export class NonceLedger {
  private readonly seen = new Map<string, { message: Record<string, unknown>; at: number }>();
  /** Requests answered with an earlier message. */
  hits = 0;
  /** The fake's clock; a test may move it to pass the window. */
  now: () => number = Date.now;

  private static key(channelId: string, authorId: string, nonce: unknown): string | undefined {
    if (typeof nonce !== 'string' && typeof nonce !== 'number') return undefined;
    return `${channelId}\n${authorId}\n${String(nonce)}`;
  }

  /** The message an enforced nonce already created, if it is still remembered. */
  find(channelId: string, authorId: string, body: Record<string, unknown>): Record<string, unknown> | undefined {
    const key = body.enforce_nonce === true ? NonceLedger.key(channelId, authorId, body.nonce) : undefined;
    const hit = key ? this.seen.get(key) : undefined;
    if (!hit || this.now() - hit.at > NONCE_WINDOW_MS) return undefined;
    this.hits++;
    return hit.message;
  }

  note(channelId: string, authorId: string, body: Record<string, unknown>, message: Record<string, unknown>): void {
    const key = body.enforce_nonce === true ? NonceLedger.key(channelId, authorId, body.nonce) : undefined;
    if (key) this.seen.set(key, { message, at: this.now() });
  }
}
