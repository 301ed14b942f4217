// Where and as whom one Discord post goes, from the channel's type and the subscription's
// delivery settings: a plain message, a forum post, a webhook execution under the feed's
// name; then a thread from it or publishing it. Only the main post decides the result:
// the follow-ups are best effort, since repeating the post for them would duplicate it.
import { createHash } from 'node:crypto';
import { DiscordAPIError, RequestMethod, Routes, type REST } from 'discord.js';
import type { DeliveryTarget, SendableMessage } from '../../domain/types.js';
import { httpsUrl } from '../../core/render/url.js';
import type { Logger } from '../../logger.js';
import { isForum, isThread, type ChannelFacts } from './channels.js';
import { toDiscordDigest } from './digest.js';
import { DISCORD_LIMITS, toDiscordMessage, type DiscordMessagePayload } from './render.js';
import type { Webhook, WebhookPool } from './webhooks.js';

export type PostBody = Omit<DiscordMessagePayload, 'allowed_mentions'> & { allowed_mentions: { parse: []; roles?: string[] } };

export interface Posted {
  messageId: string;
  headers: Headers;
}

export interface TargetDeps {
  rest: REST;
  webhooks: WebhookPool;
  logger?: Logger;
}

const NAME_MAX = 100;
const TAGS_MAX = 5;
const SNOWFLAKE = /^\d{5,25}$/;

const cut = (s: string, max: number) => ([...s].length <= max ? s : [...s].slice(0, max).join(''));
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function bodyFor(message: SendableMessage, d: DeliveryTarget): PostBody {
  const body: PostBody = message.kind === 'digest' ? toDiscordDigest(message) : toDiscordMessage(message);
  const role = d.mention && SNOWFLAKE.test(d.mention) ? d.mention : undefined;
  // Herald's own notices ping nobody; items and digests ping the chosen role, and only it.
  if (!role || message.kind === 'notice') return body;
  const prefix = `<@&${role}>`;
  const rest = body.content ? cut(body.content, DISCORD_LIMITS.content - prefix.length - 1) : '';
  return { ...body, content: rest ? `${prefix} ${rest}` : prefix, allowed_mentions: { parse: [], roles: [role] } };
}

/** A forum post's or thread's name: the item title, cut to Discord's 100. */
export function postName(message: SendableMessage): string {
  const raw = message.kind === 'notice' ? message.text : message.kind === 'digest' ? `${message.feedTitle}: ${message.lines.length + message.more} new items` : message.title || message.feedTitle;
  return cut(oneLine(raw), NAME_MAX) || 'New post';
}

/** Forum tags whose names match the item's categories, ignoring case; at most 5. */
export function matchingTags(message: SendableMessage, facts: ChannelFacts): string[] {
  if (message.kind !== 'item' || !facts.tags.length) return [];
  const wanted = new Set(message.categories.map((c) => oneLine(c).toLowerCase()));
  return facts.tags.filter((t) => wanted.has(oneLine(t.name).toLowerCase())).slice(0, TAGS_MAX).map((t) => t.id);
}

/** The webhook's username and avatar: what was set, else the feed's own title and icon. */
export function identityOf(message: SendableMessage, d: DeliveryTarget): { username?: string; avatar_url?: string } | undefined {
  if (!d.identity || message.kind === 'notice') return undefined;
  const feedName = cut(oneLine(message.feedTitle), 80);
  // Discord refuses webhook names with these words; the webhook's own name shows instead.
  const usable = (n: string) => n && !/discord|clyde/i.test(n);
  const username = d.identity.name ?? (usable(feedName) ? feedName : undefined);
  const avatar = httpsUrl(d.identity.avatarUrl ?? message.feedIcon);
  return { ...(username ? { username } : {}), ...(avatar ? { avatar_url: avatar } : {}) };
}

async function request(rest: REST, method: RequestMethod, fullRoute: `/${string}`, body?: unknown, query?: URLSearchParams, auth = true) {
  const res = await rest.queueRequest({ fullRoute, method, ...(body !== undefined ? { body } : {}), ...(query ? { query } : {}), auth });
  const json = (await res.json().catch(() => ({}))) as { id?: string; message?: { id?: string } };
  return { json, headers: res.headers };
}

/**
 * Create Message's nonce for one part of one delivery in one channel. With enforce_nonce,
 * Discord answers a repeat from the same bot within a few minutes with the message it
 * already created: a retry after a lost answer or a crash posts nothing twice. Only a hash
 * of stable inputs (no clock, no counter) gives every process and restart the same value.
 * 120 bits in base 36 fit 24 characters; the leading letter keeps it within Discord's 25
 * and never all digits, so it cannot be read as an integer nonce.
 */
export function messageNonce(key: string, part: number, channelId: string): string {
  const hex = createHash('sha256').update(`${key}\n${part}\n${channelId}`).digest('hex').slice(0, 30);
  return `h${BigInt(`0x${hex}`).toString(36)}`;
}

/**
 * The main post, as the bot: a message, or in a forum a new post. Only the message gets
 * the nonce: a forum post's message takes none (Start Thread in Forum Channel).
 */
export async function postAsBot(deps: TargetDeps, channelId: string, facts: ChannelFacts, message: SendableMessage, body: PostBody, nonce?: string): Promise<Posted> {
  if (isForum(facts.type)) {
    const tags = matchingTags(message, facts);
    const { json, headers } = await request(deps.rest, RequestMethod.Post, Routes.threads(channelId), { name: postName(message), message: body, ...(tags.length ? { applied_tags: tags } : {}) });
    return { messageId: json.message?.id ?? json.id ?? '', headers };
  }
  const { json, headers } = await request(deps.rest, RequestMethod.Post, Routes.channelMessages(channelId), nonce ? { ...body, nonce, enforce_nonce: true } : body);
  return { messageId: json.id ?? '', headers };
}

const webhookGone = (err: unknown) => err instanceof DiscordAPIError && (err.status === 401 || err.status === 404);

async function execute(deps: TargetDeps, hook: Webhook, threadId: string | undefined, body: Record<string, unknown>): Promise<Posted> {
  const query = new URLSearchParams({ wait: 'true', ...(threadId ? { thread_id: threadId } : {}) });
  const { json, headers } = await request(deps.rest, RequestMethod.Post, Routes.webhook(hook.id, hook.token), body, query, false);
  return { messageId: json.id ?? '', headers };
}

/**
 * The main post under the feed's identity, through the channel's webhook (a thread's
 * parent's, with thread_id). Undefined when Herald may not manage webhooks there: the
 * caller posts as the bot. A deleted webhook (401/404) is re-created once.
 */
export async function postAsFeed(deps: TargetDeps, channelId: string, facts: ChannelFacts, message: SendableMessage, body: PostBody, who: Record<string, string>): Promise<Posted | undefined> {
  const thread = isThread(facts.type);
  const hookChannel = thread ? facts.parentId : channelId;
  if (!hookChannel) return undefined;
  const tags = isForum(facts.type) ? matchingTags(message, facts) : [];
  const full = { ...body, ...who, ...(isForum(facts.type) ? { thread_name: postName(message), ...(tags.length ? { applied_tags: tags } : {}) } : {}) };
  for (let attempt = 0; ; attempt++) {
    const hook = await deps.webhooks.get(hookChannel);
    if (hook === 'denied') {
      deps.logger?.warn({ channel: channelId }, 'no Manage Webhooks permission; posting as the bot');
      return undefined;
    }
    try {
      return await execute(deps, hook, thread ? channelId : undefined, full);
    } catch (err) {
      if (!webhookGone(err) || attempt > 0) throw err;
      deps.logger?.info({ channel: hookChannel }, 'webhook gone; creating it again');
      deps.webhooks.forget(hookChannel);
    }
  }
}

/** Thread per item and publishing: after the post, logged on failure, never repeated. */
export async function followUps(deps: TargetDeps, channelId: string, facts: ChannelFacts, message: SendableMessage, d: DeliveryTarget, posted: Posted): Promise<void> {
  if (message.kind === 'notice' || !posted.messageId) return;
  const plainChannel = !isForum(facts.type) && !isThread(facts.type);
  if (d.threadPerItem && plainChannel) {
    await deps.rest
      .post(Routes.threads(channelId, posted.messageId), { body: { name: postName(message) } })
      .catch((err: unknown) => deps.logger?.warn({ err, channel: channelId }, 'could not start a thread from the post'));
  }
  if (facts.type === 5 && d.publish !== false) {
    await deps.rest
      .post(Routes.channelMessageCrosspost(channelId, posted.messageId))
      .catch((err: unknown) => deps.logger?.warn({ err, channel: channelId }, 'could not publish the post'));
  }
}
