// Short text fields (titles, authors, categories, feed names): entities decoded and
// inline formatting tags removed. Anything else that looks like a tag stays as written,
// because feed titles such as "Why <div> soup hurts" mean those characters literally.
import { decodeEntities } from './entities.js';
import { tokenizeHtml } from './tokenizer.js';

const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'br', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'i', 'img', 'ins', 'kbd',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr',
]);

/** Longest short field kept; platforms cut further (Discord titles stop at 256). */
export const MAX_INLINE_LENGTH = 1000;

export function inlineText(raw: string | undefined): string {
  if (!raw) return '';
  let out = '';
  for (const t of tokenizeHtml(raw.slice(0, MAX_INLINE_LENGTH * 4))) {
    if (t.type === 'text') out += decodeEntities(t.text);
    else if (!INLINE.has(t.name)) out += decodeEntities(t.raw);
    else if (t.name === 'br') out += ' ';
    if (out.length > MAX_INLINE_LENGTH * 2) break;
  }
  // Control characters (bar tab/newline, folded below) never belong in a one-line field.
  return out.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim().slice(0, MAX_INLINE_LENGTH);
}
