// One render model with every field set, shared by the Discord and Slack renderer tests
// so both platforms are checked against the same input.
import type { OutgoingMessage, RenderModel } from '../../src/domain/types.js';

export const model: RenderModel = {
  title: 'Release 2.0',
  link: 'https://example.com/posts/2',
  summary: 'New **things** in [the notes](https://example.com/notes).',
  author: 'Ann',
  date: '2024-01-02T03:04:05.000Z',
  categories: ['news', 'release'],
  feedTitle: 'Example Blog',
  feedUrl: 'https://example.com/feed.xml',
  feedIcon: 'https://example.com/icon.png',
  image: 'https://cdn.example.com/cover.jpg',
  color: 0xabcdef,
};

export const item = (over: Partial<RenderModel> = {}): OutgoingMessage => ({ kind: 'item', ...model, ...over });
