// The Discord target helpers: mention prefix, forum names and tags, identity, digests.
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/core/deliver/digest.js';
import { toDiscordDigest } from '../../../src/platforms/discord/digest.js';
import { bodyFor, identityOf, matchingTags, postName } from '../../../src/platforms/discord/targets.js';
import { toSlackDigest } from '../../../src/platforms/slack/targets.js';
import { userGroupId } from '../../../src/platforms/slack/command-text.js';
import type { Delivery } from '../../../src/domain/records.js';
import { item } from '../sample-model.js';

const ROLE = '600000000000000001';
const many = (n: number, title = (i: number) => `Item ${i} <@&1> @everyone`) =>
  buildDigest(Array.from({ length: n }, (_, i): Delivery => ({ id: `${i}`, subscriptionId: 's', feedId: 'f', seenAt: i, attempts: 0, message: item({ title: title(i + 1), link: `https://example.com/${i + 1}` }) })))!;

describe('Discord delivery targets', () => {
  it('starts an item with the role ping and allows only that role; notices ping nobody', () => {
    const body = bodyFor(item(), { mention: ROLE });
    expect(body.content).toBe(`<@&${ROLE}> <https://example.com/posts/2>`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(bodyFor({ kind: 'notice', text: 'hi' }, { mention: ROLE }).allowed_mentions).toEqual({ parse: [] });
    expect(bodyFor(item(), { mention: 'not-a-snowflake' }).allowed_mentions).toEqual({ parse: [] });
    expect(bodyFor(item({ templateText: 'x'.repeat(2000) }), { mention: ROLE }).content).toHaveLength(2000);
  });

  it('names forum posts after the item (100 characters at most) and applies at most 5 matching tags', () => {
    expect(postName(item({ title: `  ${'a'.repeat(150)} ` }))).toBe('a'.repeat(100));
    expect(postName(item({ title: '' }))).toBe('Example Blog');
    const tags = Array.from({ length: 7 }, (_, i) => ({ id: `${i}`, name: `Tag${i}` }));
    expect(matchingTags(item({ categories: tags.map((t) => t.name.toUpperCase()) }), { type: 15, tags })).toEqual(['0', '1', '2', '3', '4']);
    expect(matchingTags(item({ categories: ['news'] }), { type: 15, tags: [{ id: '9', name: ' News ' }] })).toEqual(['9']);
  });

  it('posts as the feed by default; names Discord refuses fall back to the webhook name', () => {
    expect(identityOf(item(), {})).toBeUndefined();
    expect(identityOf(item(), { identity: {} })).toEqual({ username: 'Example Blog', avatar_url: 'https://example.com/icon.png' });
    expect(identityOf(item({ feedTitle: 'Discord Blog', feedIcon: 'http://x/icon.png' }), { identity: {} })).toEqual({});
    expect(identityOf(item(), { identity: { name: 'Mine', avatarUrl: 'https://example.com/me.png' } })).toEqual({ username: 'Mine', avatar_url: 'https://example.com/me.png' });
    expect(identityOf({ kind: 'notice', text: 'x' }, { identity: {} })).toBeUndefined();
  });

  it('renders a digest as one embed, escaping feed text, with "and N more"', () => {
    const body = toDiscordDigest(many(30));
    const embed = body.embeds![0]!;
    expect(embed.title).toBe('30 new items');
    const lines = embed.description!.split('\n');
    expect(lines).toHaveLength(26);
    expect(lines[0]).toBe('• [Item 6 \\<@&1\\> @\u200beveryone](https://example.com/6)');
    expect(lines.at(-1)).toBe('…and 5 more');
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('keeps a digest of long titles within the embed limit, counting what it drops', () => {
    const embed = toDiscordDigest(many(25, (i) => `${i} ${'long title '.repeat(30)}`)).embeds![0]!;
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embed.description).toMatch(/…and \d+ more$/);
  });

  it('renders a Slack digest with escaped titles and no live mentions', () => {
    const p = toSlackDigest(many(3, (i) => `<!channel> ${i} & co`));
    expect(p.text).toContain('• <https://example.com/1|&lt;!channel&gt; 1 &amp; co>');
    expect(p.text).not.toContain('<!channel>');
  });

  it('reads a Slack user group from how Slack sends it', () => {
    expect(userGroupId('<!subteam^S0123ABC|@team>')).toBe('S0123ABC');
    expect(userGroupId('<!subteam^S0123ABC>')).toBe('S0123ABC');
    expect(userGroupId('<!channel>')).toBeUndefined();
    expect(userGroupId('@team')).toBeUndefined();
  });
});
