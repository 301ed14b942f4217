// Template rules as commands state them: the render stage's checks plus the reset hint.
import { UserError } from '../../domain/errors.js';
import { PLACEHOLDERS, validateTemplate } from '../render/template.js';

export function placeholderList(): string {
  return PLACEHOLDERS.map((p) => `{${p}}`).join(' ');
}

/** The render stage's rules (length, known placeholders), plus the reset hint only commands know. */
export function checkTemplate(text: string): string {
  if (!text.trim()) throw new UserError(`The template is empty. Use placeholders such as {title} {link}, or text:reset for the default layout. Valid: ${placeholderList()}`);
  return validateTemplate(text);
}
