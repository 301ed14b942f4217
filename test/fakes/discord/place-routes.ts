// REST routes of the fake Discord for threads, forum posts, crossposts and webhooks.
// Checks what Discord checks (channel types, names, tags, webhook tokens) so a wrong
// request fails here as it would there.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http-util.js';
import { APP_ID, BOT_USER } from './gateway.js';
import type { FakeDiscord } from './index.js';
import { CHANNEL, channelJson, isForumType, isThreadType, type FakeChannelState, type FakeWebhook } from './places.js';

type Json = Record<string, unknown>;

const fail = (res: ServerResponse, status: number, code: number, message: string) => sendJson(res, status, { code, message });
const badName = (name: unknown, max: number) => typeof name !== 'string' || name.length < 1 || [...name].length > max;

function checkMessage(body: unknown): string | undefined {
  const b = (body ?? {}) as Json;
  const hasContent = typeof b.content === 'string' && b.content.length > 0;
  const hasEmbeds = Array.isArray(b.embeds) && b.embeds.length > 0;
  if (!hasContent && !hasEmbeds) return 'Cannot send an empty message';
  return undefined;
}

/** Creates a thread channel (and tells the bot, as Discord's THREAD_CREATE does). */
function openThread(fake: FakeDiscord, parent: FakeChannelState, id: string, name: string): FakeChannelState {
  const type = parent.type === CHANNEL.announcement ? CHANNEL.announcementThread : CHANNEL.publicThread;
  const thread: FakeChannelState = { id, type, name, guildId: parent.guildId, tags: [], parentId: parent.id };
  fake.channels.set(id, thread);
  fake.gateway.dispatch('THREAD_CREATE', { ...channelJson(thread), newly_created: true });
  return thread;
}

function forumPost(fake: FakeDiscord, forum: FakeChannelState, name: string, message: Json, tags: unknown, source: 'forum' | 'webhook-forum', author?: Json) {
  const threadId = fake.snowflake();
  const thread = openThread(fake, forum, threadId, name);
  const msg = fake.store(threadId, message, author);
  fake.threads.push({ id: threadId, parentId: forum.id, name, messageId: msg.id, source, appliedTags: (tags as string[] | undefined) ?? [] });
  return { thread, msg };
}

function badTags(forum: FakeChannelState, tags: unknown): boolean {
  if (tags === undefined || tags === null) return false;
  if (!Array.isArray(tags) || tags.length > 5) return true;
  return tags.some((t) => !forum.tags.some((f) => f.id === t));
}

export async function routePlaces(fake: FakeDiscord, method: string, path: string, query: URLSearchParams, json: Json, res: ServerResponse): Promise<boolean> {
  let m: RegExpExecArray | null;
  if (method === 'GET' && (m = /^\/channels\/(\d+)$/.exec(path))) {
    const c = fake.channels.get(m[1]!);
    if (!c) fail(res, 404, 10003, 'Unknown Channel');
    else sendJson(res, 200, channelJson(c));
    return true;
  }
  if (method === 'POST' && (m = /^\/channels\/(\d+)\/threads$/.exec(path))) {
    const forum = fake.channels.get(m[1]!);
    if (!forum) return fail(res, 404, 10003, 'Unknown Channel'), true;
    if (!isForumType(forum.type)) return fail(res, 400, 50024, 'Cannot execute action on this channel type'), true;
    if (badName(json.name, 100)) return fail(res, 400, 50035, 'Invalid Form Body (name)'), true;
    const problem = checkMessage(json.message);
    if (problem) return fail(res, 400, 50006, problem), true;
    if (badTags(forum, json.applied_tags)) return fail(res, 400, 50035, 'Invalid Form Body (applied_tags)'), true;
    const { thread, msg } = forumPost(fake, forum, json.name as string, json.message as Json, json.applied_tags, 'forum');
    sendJson(res, 201, { ...channelJson(thread), message: msg });
    return true;
  }
  if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path))) {
    const parent = fake.channels.get(m[1]!);
    const source = fake.messages.find((x) => x.id === m![2] && x.channelId === m![1]);
    if (!parent || !source) return fail(res, 404, 10008, 'Unknown Message'), true;
    if (parent.type !== CHANNEL.text && parent.type !== CHANNEL.announcement) return fail(res, 400, 50024, 'Cannot execute action on this channel type'), true;
    if (badName(json.name, 100)) return fail(res, 400, 50035, 'Invalid Form Body (name)'), true;
    if (fake.channels.has(source.id)) return fail(res, 400, 160004, 'A thread has already been created for this message'), true;
    // A thread started from a message takes the message's id.
    const thread = openThread(fake, parent, source.id, json.name as string);
    fake.threads.push({ id: thread.id, parentId: parent.id, name: thread.name, messageId: source.id, source: 'message', appliedTags: [] });
    sendJson(res, 201, channelJson(thread));
    return true;
  }
  if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages\/(\d+)\/crosspost$/.exec(path))) {
    const c = fake.channels.get(m[1]!);
    const msg = fake.messages.find((x) => x.id === m![2] && x.channelId === m![1]);
    if (!c || !msg) return fail(res, 404, 10008, 'Unknown Message'), true;
    if (c.type !== CHANNEL.announcement) return fail(res, 400, 50024, 'Cannot execute action on this channel type'), true;
    if (fake.crossposts.some((x) => x.messageId === msg.id)) return fail(res, 400, 40033, 'This message has already been crossposted.'), true;
    fake.crossposts.push({ channelId: c.id, messageId: msg.id });
    sendJson(res, 200, { ...fake.messageJson(c.id, msg.body, msg.id), flags: 1 });
    return true;
  }
  if ((m = /^\/channels\/(\d+)\/webhooks$/.exec(path))) {
    const channelId = m[1]!;
    if (fake.webhookDenied.has(channelId)) return fail(res, 403, 50013, 'Missing Permissions'), true;
    if (method === 'GET') return sendJson(res, 200, [...fake.webhooks.values()].filter((w) => w.channelId === channelId).map((w) => webhookJson(fake, w))), true;
    if (method !== 'POST') return false;
    if (badName(json.name, 80)) return fail(res, 400, 50035, 'Invalid Form Body (name)'), true;
    const hook: FakeWebhook = { id: fake.snowflake(), token: `wh-token-${fake.snowflake()}`, channelId, name: json.name as string };
    fake.webhooks.set(hook.id, hook);
    sendJson(res, 200, webhookJson(fake, hook));
    return true;
  }
  // Webhook executions share /webhooks/{id}/{token} with interaction follow-ups; the id tells them apart.
  if (method === 'POST' && (m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && m[1] !== APP_ID) {
    executeWebhook(fake, m[1]!, m[2]!, query, json, res);
    return true;
  }
  return false;
}

function webhookJson(fake: FakeDiscord, w: FakeWebhook) {
  const guild = fake.channels.get(w.channelId)?.guildId ?? null;
  return { id: w.id, type: 1, token: w.token, channel_id: w.channelId, guild_id: guild, name: w.name, avatar: null, application_id: APP_ID, user: BOT_USER };
}

function executeWebhook(fake: FakeDiscord, id: string, token: string, query: URLSearchParams, json: Json, res: ServerResponse) {
  const hook = fake.webhooks.get(id);
  if (!hook) return fail(res, 404, 10015, 'Unknown Webhook');
  if (hook.token !== token) return fail(res, 401, 50027, 'Invalid Webhook Token');
  const channel = fake.channels.get(hook.channelId);
  if (!channel) return fail(res, 404, 10003, 'Unknown Channel');
  const problem = checkMessage(json);
  if (problem) return fail(res, 400, 50006, problem);
  if (json.username !== undefined && badName(json.username, 80)) return fail(res, 400, 50035, 'Invalid Form Body (username)');
  const author = { id: hook.id, username: (json.username as string | undefined) ?? hook.name, avatar: null, discriminator: '0000', bot: true };
  const threadId = query.get('thread_id');
  let postedIn = channel.id;
  let msg;
  if (threadId) {
    const thread = fake.channels.get(threadId);
    if (!thread || !isThreadType(thread.type) || thread.parentId !== channel.id) return fail(res, 400, 10003, 'Unknown Channel');
    postedIn = threadId;
    msg = fake.store(threadId, json, author, hook.id);
  } else if (isForumType(channel.type)) {
    if (badName(json.thread_name, 100)) return fail(res, 400, 220001, 'Webhooks posted to forum channels must have a thread_name or thread_id');
    if (badTags(channel, json.applied_tags)) return fail(res, 400, 50035, 'Invalid Form Body (applied_tags)');
    const post = forumPost(fake, channel, json.thread_name as string, json, json.applied_tags, 'webhook-forum', author);
    postedIn = post.thread.id;
    msg = post.msg;
    fake.messages.at(-1)!.webhookId = hook.id;
  } else {
    msg = fake.store(channel.id, json, author, hook.id);
  }
  fake.executions.push({ webhookId: hook.id, channelId: channel.id, postedIn, query: Object.fromEntries(query), body: json });
  if (query.get('wait') === 'true') sendJson(res, 200, msg);
  else res.writeHead(204).end();
}
