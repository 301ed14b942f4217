// What delivery needs to know about a Discord channel: its type (forum, announcement,
// thread), a thread's parent and a forum's tags. The gateway's guild data (discord.js's
// channel cache, kept current by CHANNEL_UPDATE) answers for guild channels; a channel it
// does not hold (a thread created later) is fetched once and remembered.
import { ChannelType, Routes, type Client, type REST } from 'discord.js';
import type { ChannelPlace } from '../../../commands/index.js';

export interface ForumTag {
  id: string;
  name: string;
}

export interface ChannelFacts {
  type: number;
  parentId?: string;
  tags: ForumTag[];
}

export interface ChannelLookup {
  facts(channelId: string): Promise<ChannelFacts>;
}

export const PLAIN_TEXT: ChannelFacts = { type: ChannelType.GuildText, tags: [] };
/** Enough for every channel of a large deployment; past it, the oldest entries go. */
const MAX_FETCHED = 10_000;

export const isForum = (type: number) => type === ChannelType.GuildForum || type === ChannelType.GuildMedia;
export const isThread = (type: number) => type === ChannelType.PublicThread || type === ChannelType.PrivateThread || type === ChannelType.AnnouncementThread;

export function kindOf(type: number | undefined): ChannelPlace['kind'] {
  if (type === undefined) return 'text';
  if (isForum(type)) return 'forum';
  if (isThread(type)) return 'thread';
  return type === ChannelType.GuildAnnouncement ? 'announcement' : 'text';
}

interface RawChannel {
  type?: number;
  parent_id?: string | null;
  available_tags?: { id: string; name: string }[];
}

function fromRaw(raw: RawChannel): ChannelFacts {
  return {
    type: typeof raw.type === 'number' ? raw.type : ChannelType.GuildText,
    ...(raw.parent_id ? { parentId: raw.parent_id } : {}),
    tags: (raw.available_tags ?? []).map((t) => ({ id: t.id, name: t.name })),
  };
}

export class ChannelDirectory implements ChannelLookup {
  private readonly fetched = new Map<string, ChannelFacts>();

  /**
   * `shards`: the gateway clients of the shards this process owns in a cluster, where the
   * sending client logs into no gateway and holds no guild data of its own; their caches
   * answer for their guilds, so only channels of other processes' shards cost a request.
   */
  constructor(
    private readonly client: Client,
    private readonly rest: REST,
    private readonly shards: () => Iterable<Client> = () => [],
  ) {}

  private cached(channelId: string) {
    const here = this.client.channels.cache.get(channelId);
    if (here) return here;
    for (const c of this.shards()) {
      const found = c.channels.cache.get(channelId);
      if (found) return found;
    }
    return undefined;
  }

  async facts(channelId: string): Promise<ChannelFacts> {
    const cached = this.cached(channelId);
    if (cached) {
      const c = cached as unknown as { type: number; parentId?: string | null; availableTags?: ForumTag[] };
      return { type: c.type, ...(c.parentId ? { parentId: c.parentId } : {}), tags: (c.availableTags ?? []).map((t) => ({ id: t.id, name: t.name })) };
    }
    const known = this.fetched.get(channelId);
    if (known) return known;
    // Not in the guild data: one GET, then remembered. A failure assumes a text channel and
    // is not remembered, so the next post asks again; the post itself reports real trouble.
    const raw = (await this.rest.get(Routes.channel(channelId)).catch(() => undefined)) as RawChannel | undefined;
    if (!raw) return PLAIN_TEXT;
    const facts = fromRaw(raw);
    if (this.fetched.size >= MAX_FETCHED) this.fetched.delete(this.fetched.keys().next().value!);
    this.fetched.set(channelId, facts);
    return facts;
  }
}
