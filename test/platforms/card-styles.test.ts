// The three post styles and outgoing URLs, on both platforms, from one render model.
import { describe, expect, it } from 'vitest';
import { renderItem } from '../../src/core/render/index.js';
import type { FeedItem } from '../../src/domain/types.js';
import { toDiscordMessage } from '../../src/platforms/discord/render.js';
import { toSlackMessage } from '../../src/platforms/slack/render.js';
import { item } from './sample-model.js';

const RFC3986 = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

describe('style link', () => {
  it('Discord: bold title and bare URL, no embed, so Discord previews the link itself', () => {
    const msg = toDiscordMessage(item({ style: 'link', title: '@everyone *hi*' }));
    expect(msg).toEqual({ content: '**@\u200beveryone \\*hi\\***\nhttps://example.com/posts/2', allowed_mentions: { parse: [] } });
    expect(msg.embeds).toBeUndefined();
  });
  it('Slack: linked title, unfurl_links true, no blocks', () => {
    expect(toSlackMessage(item({ style: 'link', title: '<!channel>' }))).toEqual({ text: '*<https://example.com/posts/2|&lt;!channel&gt;>*', unfurl_links: true, unfurl_media: true });
  });
});

describe('compact card', () => {
  const feedItem: FeedItem = {
    id: 'x',
    title: 'Long',
    link: 'https://example.com/p?q={a}',
    contentHtml: `<p>${'sentence with words. '.repeat(60)}</p>`,
    categories: ['a', 'b', 'c', 'd', 'e'],
    images: ['https://cdn.example.com/i.jpg?size={w}'],
    author: 'Ann',
    index: 0,
  };
  const model = { kind: 'item' as const, ...renderItem(feedItem, { title: 'Feed', url: 'https://example.com/f', iconUrl: 'https://example.com/icon.png?v={1}' }) };
  it('Discord: excerpt ≤ 500, 3 categories, every URL RFC 3986', () => {
    const embed = toDiscordMessage(model).embeds![0]!;
    expect(embed.description!.length).toBeLessThanOrEqual(500);
    expect(embed.description!.endsWith('…')).toBe(true);
    expect(embed.footer?.text).toBe('by Ann · a, b, c');
    for (const url of [embed.url, embed.author?.icon_url, embed.image?.url]) expect(url).toMatch(RFC3986);
    expect(embed.url).toBe('https://example.com/p?q=%7Ba%7D');
  });
  it('Slack: links and image URLs encoded too', () => {
    const msg = toSlackMessage(model);
    const json = JSON.stringify(msg);
    expect(json).not.toMatch(/[{}]a|\{w\}|\{1\}/);
    expect(json).toContain('https://example.com/p?q=%7Ba%7D');
    expect(json).toContain('size=%7Bw%7D');
  });
});
