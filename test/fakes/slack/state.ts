// What the fake Slack workspace holds and records: channels, users, scopes, posts, replies.
import { readFileSync } from 'node:fs';

export const TEAM_ID = 'T0HERALD1';
export const BOT_USER_ID = 'U0HERALDBOT';
export const BOT_ID = 'B0HERALD1';
export const APP_ID = 'A0HERALD1';

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  isMember?: boolean;
  isArchived?: boolean;
}

export interface FakeUser {
  id: string;
  isAdmin?: boolean;
  isOwner?: boolean;
}

/** A scripted answer to chat.postMessage in one channel. `ratelimited` answers HTTP 429. */
export interface PostFault {
  error: string;
  /** Answer with this HTTP status instead of 200 (e.g. 503 for an outage). */
  status?: number;
  retryAfter?: number;
  /** How many posts get the fault; undefined = all. */
  times?: number;
}

export interface PostedMessage {
  channel: string;
  text: string;
  blocks?: Record<string, unknown>[];
  body: Record<string, unknown>;
  at: number;
}

export interface ApiCall {
  method: string;
  body: Record<string, unknown>;
  authorization: string | undefined;
  at: number;
}

/** One POST to a response_url (bolt's respond()). */
export interface ResponseCall {
  response_type?: string;
  text?: string;
  body: Record<string, unknown>;
  at: number;
}

export interface Upload {
  fileId: string;
  filename: string;
  content: string;
  channel?: string;
}

/**
 * The bot scopes config/slack-manifest.yml asks for: a workspace that installed the app from
 * the manifest has exactly these, so a scope missing there fails the tests that need it.
 */
export const DEFAULT_SCOPES: string[] = (() => {
  const manifest = readFileSync(new URL('../../../config/slack-manifest.yml', import.meta.url), 'utf8');
  const bot = manifest.slice(manifest.indexOf('    bot:'));
  return [...bot.matchAll(/^ {6}- ([a-z:.]+)/gm)].map((m) => m[1]!);
})();

export const DEFAULT_CHANNELS: FakeChannel[] = [
  { id: 'C0PUBLIC01', name: 'news', isMember: true },
  { id: 'C0PUBLIC02', name: 'general' },
  { id: 'G0PRIVATE1', name: 'secret', isPrivate: true },
];

export const DEFAULT_USERS: FakeUser[] = [
  { id: 'U0MEMBER1' },
  { id: 'U0ADMIN01', isAdmin: true },
  { id: 'U0OWNER01', isOwner: true },
];
