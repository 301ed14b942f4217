// Per-subscription text templates: "{title}\n{link}" and friends.
import type { RenderModel } from '../types.js';

export const PLACEHOLDERS = ['title', 'link', 'summary', 'author', 'date', 'feed', 'categories', 'image'] as const;

/** Unknown placeholders in a template, e.g. ["{titel}"]; empty when valid. */
export function unknownPlaceholders(template: string): string[] {
  const found = [...template.matchAll(/\{([^{}\s]*)\}/g)].map((m) => m[1] ?? '');
  return [...new Set(found.filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p)))].map((p) => `{${p}}`);
}

export function applyTemplate(template: string, m: RenderModel): string {
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    title: m.title,
    link: m.link ?? '',
    summary: m.summary,
    author: m.author ?? '',
    date: m.date ?? '',
    feed: m.feedTitle,
    categories: m.categories.join(', '),
    image: m.image ?? '',
  };
  return template
    .replace(/\\n/g, '\n')
    .replace(/\{([a-z]+)\}/g, (whole, name: string) => (name in values ? values[name as keyof typeof values] : whole));
}
