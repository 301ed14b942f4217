// Short text fields (titles, authors, categories, feed names).
// plainText is for fields that are already text (the parse stage decoded them by their
// declared type): nothing is decoded or stripped again, so "<!channel>" or "&lt;" written
// literally by a publisher stays literal. inlineText is for short fields known to be HTML.
import { decodeEntities } from './entities.js';
import { tokenizeHtml } from './tokenizer.js';

const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'br', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'i', 'img', 'ins', 'kbd',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr',
]);

/** Longest short field kept; platforms cut further (Discord titles stop at 256). */
export const MAX_INLINE_LENGTH = 1000;

/** Whitespace folded, control characters (bar tab/newline, folded) removed, length capped. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim().slice(0, MAX_INLINE_LENGTH);
}

/** A plain-text field made fit for one line; the characters themselves are kept as they are. */
export function plainText(text: string | undefined): string {
  if (!text) return '';
  return oneLine(text.slice(0, MAX_INLINE_LENGTH * 4));
}

/** A short HTML field: entities decoded, inline tags removed, other tag-like text kept literally. */
export function inlineText(raw: string | undefined): string {
  if (!raw) return '';
  let out = '';
  for (const t of tokenizeHtml(raw.slice(0, MAX_INLINE_LENGTH * 4))) {
    if (t.type === 'text') out += t.text;
    else if (!INLINE.has(t.name)) out += decodeEntities(t.raw);
    else if (t.name === 'br') out += ' ';
    if (out.length > MAX_INLINE_LENGTH * 2) break;
  }
  return oneLine(out);
}
