import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/domain/errors.js';
import { applyTemplate, MAX_TEMPLATE_LENGTH, unknownPlaceholders, validateTemplate } from '../../../src/core/render/template.js';
import type { RenderModel } from '../../../src/domain/types.js';

const model: RenderModel = {
  title: 'Rust *1.80* [out](https://evil.example)',
  link: 'https://blog.example.com/rust_1_80',
  summary: 'It is **here**.',
  author: 'Ann_Lee',
  date: '2024-07-25T00:00:00.000Z',
  categories: ['rust', 'release'],
  feedTitle: 'Rust Blog',
  feedUrl: 'https://blog.example.com/feed.xml',
  image: 'https://img.example.com/a.png',
  color: 0x123456,
};

describe('templates', () => {
  it('fills every placeholder and turns \\n into a line break', () => {
    const out = applyTemplate('{feed}: {title}\\n{link}\\n{summary}\\nby {author} on {date} in {categories} {image}', model);
    expect(out).toBe(
      'Rust Blog: Rust \\*1.80\\* \\[out\\](https://evil.example)\nhttps://blog.example.com/rust_1_80\nIt is **here**.\n' +
        'by Ann\\_Lee on 2024-07-25T00:00:00.000Z in rust, release https://img.example.com/a.png',
    );
  });
  it('leaves missing values empty and never expands placeholders inside values', () => {
    const out = applyTemplate('{title} | {author} | {link}', { ...model, title: '{link}', author: undefined, link: undefined });
    expect(out).toBe('{link} |  |');
  });
  it('does not read prototype properties as placeholders', () => {
    expect(applyTemplate('{constructor} {toString}', model)).toBe('{constructor} {toString}');
  });
  it('refuses unknown placeholders and lists the valid ones', () => {
    expect(unknownPlaceholders('{titel} {link} {}')).toEqual(['{titel}', '{}']);
    expect(() => validateTemplate('{titel} {Link}')).toThrow(UserError);
    expect(() => validateTemplate('{titel} {Link}')).toThrow(/Unknown placeholders \{titel\}, \{Link\}\. Valid placeholders: \{title\} \{link\} \{summary\}/);
  });
  it('refuses empty and overlong templates', () => {
    expect(() => validateTemplate('   ')).toThrow(/empty/);
    expect(validateTemplate(`{title}${'x'.repeat(MAX_TEMPLATE_LENGTH - 7)}`)).toHaveLength(MAX_TEMPLATE_LENGTH);
    expect(() => validateTemplate(`{title}${'x'.repeat(MAX_TEMPLATE_LENGTH - 6)}`)).toThrow(/1001 characters long; the limit is 1000/);
  });
});
