// Per-subscription text templates: "{title}\n{link}" and friends. The result is light
// markdown like the summary: values from the feed are escaped, the template's own text
// is the channel admin's and may use **bold** or _em_.
import { UserError } from '../../domain/errors.js';
import type { RenderModel } from '../../domain/types.js';
import { escapeMarkdown } from './markdown.js';

export const PLACEHOLDERS = ['title', 'link', 'summary', 'author', 'date', 'feed', 'categories', 'image'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Longest template accepted; a template is a layout, not a message. */
export const MAX_TEMPLATE_LENGTH = 1000;

const isPlaceholder = (p: string): p is Placeholder => (PLACEHOLDERS as readonly string[]).includes(p);

/** Unknown placeholders in a template, e.g. ["{titel}"]; empty when valid. */
export function unknownPlaceholders(template: string): string[] {
  const found = [...template.matchAll(/\{([^{}\s]{0,40})\}/g)].map((m) => m[1] ?? '');
  return [...new Set(found.filter((p) => !isPlaceholder(p)))].map((p) => `{${p}}`);
}

/** Checks a template typed by a user; returns it trimmed, or throws a UserError saying what to fix. */
export function validateTemplate(template: string): string {
  const text = template.trim();
  const valid = PLACEHOLDERS.map((p) => `{${p}}`).join(' ');
  if (!text) throw new UserError(`The template is empty. Use placeholders such as {title} and {link}; valid ones: ${valid}`);
  if (text.length > MAX_TEMPLATE_LENGTH) {
    throw new UserError(`The template is ${text.length} characters long; the limit is ${MAX_TEMPLATE_LENGTH}.`);
  }
  const unknown = unknownPlaceholders(text);
  if (unknown.length) {
    throw new UserError(`Unknown placeholder${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}. Valid placeholders: ${valid} (and \\n for a line break).`);
  }
  return text;
}

export function applyTemplate(template: string, m: RenderModel): string {
  const values: Record<Placeholder, string> = {
    title: escapeMarkdown(m.title),
    link: m.link ?? '',
    summary: m.summary,
    author: escapeMarkdown(m.author ?? ''),
    date: m.date ?? '',
    feed: escapeMarkdown(m.feedTitle),
    categories: escapeMarkdown(m.categories.join(', ')),
    image: m.image ?? '',
  };
  // One pass, so a value that itself contains "{link}" is never expanded again.
  return template
    .slice(0, MAX_TEMPLATE_LENGTH)
    .replace(/\\n|\{([a-z]{1,20})\}/g, (whole, name?: string) => {
      if (name === undefined) return '\n';
      return isPlaceholder(name) ? values[name] : whole;
    })
    .trim();
}
