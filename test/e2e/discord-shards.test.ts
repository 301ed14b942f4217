// DISCORD_SHARDS on one process: one client opens every shard, and commands from guilds on
// each shard are answered once.
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeGateway } from '../fakes/discord/gateway.js';
import { firstChannel, guildsOverShards } from '../fakes/discord/shard-guilds.js';
import { useHerald } from './fixture.js';
import { sleep } from './harness.js';

const guilds = guildsOverShards(3);

describe('DISCORD_SHARDS', () => {
  const w = useHerald(() => new FakeDiscord(guilds).start(), { feeds: false });
  const start = (shards: string) => w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url, DISCORD_SHARDS: shards });

  const answersFromEveryGuild = async () => {
    for (const g of guilds) {
      const reply = await w.platform.interact({ name: 'feeds', subcommand: 'list', guildId: g.id, channelId: firstChannel(g) });
      expect(reply.content.length).toBeGreaterThan(0);
    }
    await sleep(300);
    for (const list of w.platform.replies.values()) expect(list).toHaveLength(1);
  };

  it('DISCORD_SHARDS=3 identifies shards 0, 1 and 2 of 3 and answers each guild once', async () => {
    await start('3');
    expect(w.platform.gateway.shardIdentifies.sort()).toEqual([[0, 3], [1, 3], [2, 3]]);
    expect(guilds.map((g) => FakeGateway.shardFor(g.id, 3))).toEqual([0, 1, 2]);
    await answersFromEveryGuild();
  });

  it('DISCORD_SHARDS=auto takes the count from GET /gateway/bot', async () => {
    w.platform.gateway.recommendedShards = 2;
    await start('auto');
    expect(w.platform.gateway.shardIdentifies.sort()).toEqual([[0, 2], [1, 2]]);
    await answersFromEveryGuild();
  });
});
