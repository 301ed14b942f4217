import { describe, expect, it } from 'vitest';
import { feedColor, renderItem } from '../../../src/core/render/index.js';
import { firstContentImage, pickImage } from '../../../src/core/render/image.js';
import type { FeedItem } from '../../../src/domain/types.js';

const feed = { title: 'Example & Co', url: 'https://example.com/feed.xml', iconUrl: 'https://example.com/icon.png' };
const item = (over: Partial<FeedItem> = {}): FeedItem => ({ id: 'i1', title: 'Hello', categories: [], images: [], index: 0, ...over });

describe('renderItem', () => {
  // FeedItem text fields are plain text (parse decoded them once, by type): render keeps
  // "<b>" and "&amp;" as the characters they are instead of decoding and stripping again.
  it('fills every field of the model (style full: the whole text with its links)', () => {
    const m = renderItem(
      item({
        title: 'Café <b>news</b> &amp;',
        link: 'https://example.com/posts/1',
        contentHtml: '<p>Body <a href="/about">about</a></p>',
        author: ' Ann  Lee ',
        date: '2024-01-02T03:04:05+01:00',
        categories: ['a', 'a', 'b & c'],
        images: ['https://cdn.example.com/enclosure.jpg'],
      }),
      feed,
      'full',
    );
    expect(m).toEqual({
      title: 'Café <b>news</b> &amp;',
      link: 'https://example.com/posts/1',
      summary: 'Body [about](https://example.com/about)',
      author: 'Ann Lee',
      date: '2024-01-02T02:04:05.000Z',
      categories: ['a', 'b & c'],
      feedTitle: 'Example & Co',
      feedUrl: 'https://example.com/feed.xml',
      feedIcon: 'https://example.com/icon.png',
      image: 'https://cdn.example.com/enclosure.jpg',
      color: feedColor('https://example.com/feed.xml'),
      style: 'full',
    });
  });

  it('uses the plain summary, escaped, when there is no HTML content', () => {
    expect(renderItem(item({ summaryText: 'a *b* [c](https://evil.example)' }), feed).summary).toBe('a \\*b\\* \\[c\\](https://evil.example)');
  });

  it('gives an untitled item a title and drops unusable links, dates and icons', () => {
    const m = renderItem(item({ title: '  ', link: 'javascript:alert(1)', date: 'yesterday' }), { ...feed, iconUrl: 'http://example.com/i.png' });
    expect(m.title).toBe('(untitled)');
    expect(m.link).toBeUndefined();
    expect(m.date).toBeUndefined();
    expect(m.feedIcon).toBeUndefined();
  });

  it('keeps the colour stable per feed and within 24 bits', () => {
    expect(feedColor('https://a.example/feed')).toBe(feedColor('https://a.example/feed'));
    expect(feedColor('https://a.example/feed')).not.toBe(feedColor('https://b.example/feed'));
    expect(feedColor('https://a.example/feed')).toBeLessThanOrEqual(0xffffff);
  });
});

describe('image choice', () => {
  it('takes feed candidates in order, https only', () => {
    expect(pickImage(item({ images: ['http://cdn.example.com/a.jpg', 'https://cdn.example.com/b.jpg'] }))).toBe('https://cdn.example.com/b.jpg');
  });
  it('resolves relative candidates against the item link', () => {
    expect(pickImage(item({ link: 'https://example.com/p/1', images: ['/img/a.jpg'] }))).toBe('https://example.com/img/a.jpg');
    expect(pickImage(item({ images: ['/img/a.jpg'] }))).toBeUndefined();
  });
  it('falls back to the first real <img> of the content, skipping pixels and trackers', () => {
    const html = [
      '<img src="https://example.com/pixel.gif" width="1" height="1">',
      '<img src="https://feeds.feedburner.com/~r/Example/~4/abc">',
      '<img src="https://pixel.wp.com/g.gif?blog=1">',
      '<img src="https://example.com/hidden.png" style="display: none">',
      '<img src="data:image/gif;base64,R0lGOD" data-src="https://example.com/lazy.jpg">',
      '<img src="https://example.com/second.jpg">',
    ].join('');
    expect(pickImage(item({ contentHtml: html }))).toBe('https://example.com/lazy.jpg');
  });
  it('finds nothing when the content has only http images or none', () => {
    expect(firstContentImage('<p>text</p><img src="http://example.com/a.jpg">')).toBeUndefined();
  });
});
