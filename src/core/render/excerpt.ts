// The compact card's excerpt: the first paragraph or two of an item, boilerplate removed,
// at most EXCERPT_MAX visible characters, cut at a sentence or word boundary with "…".
// Plain text: the platforms escape it, so nothing in it can become markup or a ping.
import type { FeedItem } from '../../domain/types.js';
import { stripBoilerplate } from './boilerplate.js';
import { htmlBlocks, textBlocks, type TextBlock } from './excerpt-blocks.js';
import { ELLIPSIS } from './fit.js';

export const EXCERPT_MAX = 500;
/** A first paragraph shorter than this is followed by the second. */
const SHORT_PARAGRAPH = 200;
const hasWord = (s: string) => /[\p{L}\p{N}]/u.test(s);

/** Blocks to read: paragraphs when there are any, else headings, lists and the rest. */
function chooseBlocks(blocks: TextBlock[]): string[] {
  const cleaned = blocks.map((b) => ({ ...b, text: stripBoilerplate(b.text) })).filter((b) => hasWord(b.text));
  const paras = cleaned.filter((b) => b.kind === 'para');
  return (paras.length ? paras : cleaned).map((b) => b.text);
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\n';
const SENTENCE_END = new Set(['.', '!', '?']);
const CJK_STOP = new Set(['。', '！', '？']);

/**
 * `text` cut to at most `max` characters. Prefers the last sentence end in the second half,
 * then the last word boundary; text without spaces (CJK) is cut between characters.
 */
export function cutExcerpt(text: string, max = EXCERPT_MAX): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length - 1; // room for " …" after a whole sentence
  let sentence = -1;
  let word = -1;
  for (let i = 1; i <= room && i < text.length; i++) {
    const prev = text[i - 1] ?? '';
    if (isSpace(text[i]) && !isSpace(prev)) {
      word = i;
      if (SENTENCE_END.has(prev)) sentence = i;
    } else if (CJK_STOP.has(prev)) sentence = word = i;
  }
  if (sentence >= max / 2) return `${text.slice(0, sentence)} ${ELLIPSIS}`;
  if (word >= max / 2) return `${text.slice(0, word)}${ELLIPSIS}`;
  // No usable boundary: between two characters, never inside a surrogate pair.
  let end = max - ELLIPSIS.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

/** The excerpt of an item: first paragraph, or two when the first is short. */
export function excerptOf(item: Pick<FeedItem, 'contentHtml' | 'summaryText'>): string {
  const fromHtml = item.contentHtml?.trim() ? chooseBlocks(htmlBlocks(item.contentHtml)) : [];
  const chosen = fromHtml.length ? fromHtml : chooseBlocks(textBlocks(item.summaryText ?? ''));
  const picked: string[] = [];
  for (const p of chosen) {
    picked.push(p);
    if (picked.length === 2 || picked.join('\n\n').length >= SHORT_PARAGRAPH) break;
  }
  return cutExcerpt(picked.join('\n\n'));
}
