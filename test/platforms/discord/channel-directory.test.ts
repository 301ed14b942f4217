// Channel facts in a cluster: the sending client holds no guild data, the owned shards'
// gateway clients do. A channel of an owned shard costs no request (each request is one of
// the bot's 45/s); one of another process's shard is fetched once and remembered.
import { ChannelType, type Client, type REST } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ChannelDirectory } from '../../../src/platforms/discord/channels.js';

const clientWith = (channels: Record<string, { type: number }>) => ({ channels: { cache: new Map(Object.entries(channels)) } }) as unknown as Client;

describe('ChannelDirectory', () => {
  it('answers from the owned shards before asking Discord, and asks once for the others', async () => {
    const gets: string[] = [];
    const rest = { get: async (route: string) => (gets.push(route), { type: ChannelType.GuildForum }) } as unknown as REST;
    const shards = [clientWith({}), clientWith({ '11': { type: ChannelType.GuildAnnouncement } })];
    const dir = new ChannelDirectory(clientWith({}), rest, () => shards.values());
    expect((await dir.facts('11')).type).toBe(ChannelType.GuildAnnouncement);
    expect(gets).toEqual([]);
    expect((await dir.facts('22')).type).toBe(ChannelType.GuildForum);
    expect((await dir.facts('22')).type).toBe(ChannelType.GuildForum);
    expect(gets).toEqual(['/channels/22']);
  });
});
