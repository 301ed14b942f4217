import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../src/domain/types.js';
import { item } from '../sample-model.js';
import { DISCORD_LIMITS, toDiscordMessage, type DiscordEmbed } from '../../../src/platforms/discord/render.js';

const embedOf = (m: OutgoingMessage): DiscordEmbed => toDiscordMessage(m).embeds![0]!;
/** Text of exactly n characters made of words, so cuts can land on a boundary. */
const words = (n: number) => `${'word '.repeat(Math.ceil(n / 5))}`.slice(0, n - 1) + 'x';
const embedSize = (e: DiscordEmbed) => (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.author?.name.length ?? 0) + (e.footer?.text.length ?? 0);

describe('Discord item embed', () => {
  it('renders every field', () => {
    const msg = toDiscordMessage(item());
    expect(msg.content).toBe('<https://example.com/posts/2>');
    expect(msg.allowed_mentions).toEqual({ parse: [] });
    expect(msg.embeds).toEqual([
      {
        title: 'Release 2.0',
        url: 'https://example.com/posts/2',
        description: 'New **things** in [the notes](https://example.com/notes).',
        color: 0xabcdef,
        timestamp: '2024-01-02T03:04:05.000Z',
        author: { name: 'Example Blog', icon_url: 'https://example.com/icon.png' },
        footer: { text: 'by Ann · news, release' },
        image: { url: 'https://cdn.example.com/cover.jpg' },
      },
    ]);
  });

  it('leaves out what the model lacks or what is not a usable URL', () => {
    const msg = toDiscordMessage(item({ link: 'javascript:alert(1)', image: 'http://cdn.example.com/x.jpg', feedIcon: undefined, author: undefined, categories: [], date: undefined, summary: '' }));
    expect(msg.content).toBe('');
    expect(msg.embeds).toEqual([{ title: 'Release 2.0', color: 0xabcdef, author: { name: 'Example Blog' } }]);
  });

  it('keeps a 256-character title and cuts a 257-character one with an ellipsis', () => {
    expect(embedOf(item({ title: words(256) })).title).toBe(words(256));
    const cut = embedOf(item({ title: words(257) })).title!;
    expect(cut.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(cut.endsWith('word…')).toBe(true);
  });

  it('keeps a 4096-character description and cuts a 4097-character one', () => {
    expect(embedOf(item({ summary: words(4096) })).description).toBe(words(4096));
    const cut = embedOf(item({ summary: words(4097) })).description!;
    expect(cut.length).toBeLessThanOrEqual(4096);
    expect(cut.endsWith('word…')).toBe(true);
  });

  it('keeps a 6000-character embed and shortens the description when one over', () => {
    const big = { title: 'T'.repeat(256), feedTitle: 'F'.repeat(256), categories: [], summary: words(4096) };
    const exact = embedOf(item({ ...big, author: 'A'.repeat(1389) }));
    expect(embedSize(exact)).toBe(6000);
    expect(exact.description).toBe(words(4096));
    const over = embedOf(item({ ...big, author: 'A'.repeat(1390) }));
    expect(embedSize(over)).toBeLessThanOrEqual(6000);
    expect(over.description!.endsWith('…')).toBe(true);
  });

  it('stays within every limit when all fields are huge', () => {
    const e = embedOf(item({ title: 'x '.repeat(2000), feedTitle: 'f'.repeat(5000), author: 'a'.repeat(5000), categories: ['c'.repeat(5000)], summary: 'y '.repeat(10_000) }));
    expect(e.title!.length).toBeLessThanOrEqual(256);
    expect(e.author!.name.length).toBeLessThanOrEqual(256);
    expect(e.footer!.text.length).toBeLessThanOrEqual(2048);
    expect(embedSize(e)).toBeLessThanOrEqual(6000);
  });
});

describe('Discord injection defences', () => {
  const hostile = '@everyone @here <@123> <@&456> <#789> <@!42>';
  it('defuses mentions in every text field and never allows pings', () => {
    const msg = toDiscordMessage(item({ title: hostile, summary: hostile, feedTitle: hostile, author: hostile, categories: [hostile] }));
    expect(msg.allowed_mentions).toEqual({ parse: [] });
    const e = msg.embeds![0]!;
    for (const text of [e.title, e.description, e.author?.name, e.footer?.text]) {
      expect(text).not.toMatch(/@(everyone|here)/);
      expect(text).not.toMatch(/(?<!\\)<[@#]/); // escaped (markdown fields) or split by U+200B (plain fields)
    }
    expect(e.title).toContain('@\u200beveryone');
    expect(e.description).toContain('\\<@123\\>');
    expect(e.footer?.text).toContain('<\u200b@123>');
  });

  it('escapes markdown in titles so a title cannot become a link', () => {
    expect(embedOf(item({ title: '[click](https://evil.example) **x** `y`' })).title).toBe('\\[click\\](https://evil.example) \\*\\*x\\*\\* \\`y\\`');
  });

  it('shows the real target of masked links whose text is another URL', () => {
    const d = embedOf(item({ summary: '[https://paypal.com](https://evil.example/x) and [docs](https://example.com/d)' })).description;
    expect(d).toBe('https://paypal.com (https://evil.example/x) and [docs](https://example.com/d)');
  });
});

describe('Discord templates and notices', () => {
  it('posts the template text as content, without an embed', () => {
    const msg = toDiscordMessage(item({ templateText: '**New:** Release 2.0 https://example.com/posts/2 [paypal.com](https://evil.example/) @everyone <@1>' }));
    expect(msg).toEqual({
      content: '**New:** Release 2.0 https://example.com/posts/2 paypal.com (https://evil.example/) @\u200beveryone \\<@1\\>',
      allowed_mentions: { parse: [] },
    });
  });

  it('keeps a 2000-character template and cuts a 2001-character one', () => {
    expect(toDiscordMessage(item({ templateText: words(2000) })).content).toBe(words(2000));
    const cut = toDiscordMessage(item({ templateText: words(2001) })).content;
    expect(cut.length).toBeLessThanOrEqual(2000);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('falls back to the title when a template comes out blank', () => {
    expect(toDiscordMessage(item({ templateText: '  ' })).content).toBe('Release 2.0');
  });

  it('sanitises notices and keeps their links from unfurling', () => {
    const msg = toDiscordMessage({ kind: 'notice', text: '3 more new items from [x](https://evil.example) @here skipped: https://example.com/' });
    expect(msg).toEqual({ content: '3 more new items from \\[x\\](<https://evil.example>) @\u200bhere skipped: <https://example.com/>', allowed_mentions: { parse: [] } });
  });
});
