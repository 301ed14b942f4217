// Delivery settings travel: /feeds list shows them, an OPML export carries them into
// another channel's import, and `herald export` backups keep them.
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { exportBackup, importBackup } from '../../src/store/backup.js';
import { parseBackup } from '../../src/store/backup-doc.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { item, useHerald } from './fixture.js';
import { tempSqlite } from './harness.js';
import { CHANNELS, GUILD, idOf, ROLE, TEXT, THREAD } from './targets-helpers.js';

const OTHER = '300000000000000002';

describe('delivery settings in lists, exports and backups', () => {
  const w = useHerald(() => new FakeDiscord([{ id: GUILD, channels: [...CHANNELS, { id: OTHER }] }]).start());
  const start = () => w.run({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: w.platform.apiUrl, DATABASE_URL: w.db.url });
  const feeds = (subcommand: string, options: Record<string, string> = {}, channelId = TEXT, roles?: Record<string, string>) =>
    w.platform.interact({ name: 'feeds', subcommand, options, channelId, ...(roles ? { roles } : {}) });

  it('lists the settings, and an OPML export carries them into another channel', async () => {
    const feed = w.feeds.feed('/settings.xml', 'Settings Feed', [item(1)]);
    await start();
    const id = idOf((await w.platform.interact({ name: 'subscribe', options: { feed: feed.url }, channelId: TEXT })).content);
    await feeds('digest', { feed: id, every: '6h', at: '08:00' });
    await feeds('thread', { feed: id, mode: 'per-item' });
    await feeds('identity', { feed: id, name: 'Settings Bot', avatar: 'https://example.com/a.png' });
    await feeds('mention', { feed: id }, TEXT, { role: ROLE });
    const list = (await feeds('list')).content;
    expect(list).toContain('digest every 6h at 08:00 UTC · thread per item · posts as “Settings Bot” · pings group 600000000000000001');
    const exported = await feeds('export');
    const opml = exported.files[0]!.data.toString('utf8');
    expect(opml).toContain('heraldDelivery=');
    const url = w.feeds.serve('/settings.opml', opml, 'text/x-opml');
    expect((await feeds('import', { url }, OTHER)).content).toMatch(/1 added/);
    const copy = w.app!.core.store.subscriptions.listByChannel({ platform: 'discord', workspaceId: GUILD, channelId: OTHER })[0]!;
    expect(copy.delivery).toMatchObject({ threadPerItem: true, identity: { name: 'Settings Bot', avatarUrl: 'https://example.com/a.png' }, mention: ROLE, digest: { everyMs: 6 * 3_600_000, at: '08:00' } });
    // A role means nothing in another server: there the import keeps everything else.
    const foreign = opml.replaceAll(`discord:${GUILD}`, 'discord:200000000000000999');
    const url2 = w.feeds.serve('/foreign.opml', foreign, 'text/x-opml');
    expect((await feeds('import', { url: url2 }, THREAD)).content).toMatch(/1 added/);
    const inThread = w.app!.core.store.subscriptions.listByChannel({ platform: 'discord', workspaceId: GUILD, channelId: THREAD })[0]!;
    expect(inThread.delivery?.mention).toBeUndefined();
    expect(inThread.delivery?.identity?.name).toBe('Settings Bot');

    // herald export → import into a fresh database keeps the settings as they are.
    const doc = parseBackup(JSON.parse(JSON.stringify(await exportBackup(w.app!.core.store))));
    const db = tempSqlite();
    const store = await createStore(db.url);
    try {
      await importBackup(store, doc);
      expect(store.subscriptions.get(id)?.delivery).toEqual(w.app!.core.store.subscriptions.get(id)?.delivery);
    } finally {
      await store.close();
      db.cleanup();
    }
  });
});
