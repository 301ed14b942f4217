// The neutral command contract. Platforms translate their payloads into a CommandContext;
// commands never import platform code, nor the core or the store: they translate options
// into calls of the use cases (ctx.app) and results into replies.
import type { UseCases } from '../src/application/index.js';
import type { ChannelRef } from '../src/domain/types.js';

/** `role`: a group of people to ping (Discord role, Slack user group); the value is its platform id. */
export type OptionType = 'string' | 'integer' | 'attachment' | 'role';

export interface OptionDefinition {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  choices?: string[];
  min?: number;
  max?: number;
  /** May be given as a bare word on Slack after the required options, though optional. */
  positional?: boolean;
}

/** The `feed:` option every per-subscription verb takes. */
export const FEED_OPTION: OptionDefinition = { name: 'feed', description: 'Subscription ID (from /feeds list) or feed URL', type: 'string', required: true };

/** The same, for verbs that can act on every subscription of the channel at once. */
export const FEED_OR_ALL_OPTION: OptionDefinition = { ...FEED_OPTION, description: 'Subscription ID (from /feeds list), feed URL, or all' };

export interface CommandDefinition {
  name: string;
  description: string;
  /** Anyone may run it (list, preview, export); otherwise it needs Manage Channels / Slack rules. */
  everyone?: boolean;
  options?: OptionDefinition[];
}

export interface Attachment {
  name: string;
  url: string;
  size: number;
}

export interface ReplyFile {
  name: string;
  content: string;
}

export interface Reply {
  text: string;
  /** Only the person who ran the command sees it (Slack ephemeral, Discord ephemeral flag). */
  ephemeral?: boolean;
  file?: ReplyFile;
}

/** What the platform knows about the channel a command runs in. */
export interface ChannelPlace {
  kind: 'text' | 'announcement' | 'forum' | 'thread';
  /** Verbs the platform has no idea of, each with the reason to reply. */
  unavailable: Partial<Record<'thread' | 'publish', string>>;
  /** Set when Herald cannot post under another name here, saying why. */
  identityBlocked?: string;
}

export interface CommandContext {
  app: UseCases;
  channel: ChannelRef;
  userId: string;
  options: Record<string, string | number | undefined>;
  attachments: Record<string, Attachment | undefined>;
  /** Set by adapters that know the channel; verbs about delivery targets read it. */
  place?: ChannelPlace;
  reply(reply: Reply | string): Promise<void>;
}

export interface Command {
  definition: CommandDefinition;
  run(ctx: CommandContext): Promise<void>;
}

/** A top-level command with subcommands, like /feeds list. */
export interface CommandGroup {
  definition: CommandDefinition;
  subcommands: Command[];
}

export type TopLevel = Command | CommandGroup;

export function isGroup(c: TopLevel): c is CommandGroup {
  return 'subcommands' in c;
}
