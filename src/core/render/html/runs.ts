// HTML tokens → "runs": styled text pieces and line/paragraph breaks. The first half of
// the HTML→markdown conversion; what to keep and what to drop is decided here.
import { httpUrl } from '../url.js';
import { tokenizeHtml } from './tokenizer.js';

export interface TextRun {
  text: string;
  strong: boolean;
  em: boolean;
  strike: boolean;
  code: boolean;
  pre: boolean;
  href?: string;
}
export type Run = TextRun | { brk: 'line' | 'para' };

/** Text kept from one document; the rest is cut (a summary never needs more). */
export const MAX_RUN_TEXT = 8000;

/** Elements dropped with everything inside them (the tokenizer already skips scripts, styles and iframes). */
const DROP = new Set(['svg', 'math', 'form', 'button', 'select', 'object', 'embed', 'video', 'audio', 'canvas', 'head', 'map', 'picture']);
const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'source', 'track', 'wbr', 'area', 'col', 'embed', 'param', 'base']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'dialog', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'table', 'ul', 'summary', 'caption',
]);
const STYLE: Record<string, 'strong' | 'em' | 'strike' | 'code'> = {
  b: 'strong', strong: 'strong', h1: 'strong', h2: 'strong', h3: 'strong', h4: 'strong', h5: 'strong', h6: 'strong', dt: 'strong',
  i: 'em', em: 'em', cite: 'em', s: 'strike', strike: 'strike', del: 'strike', code: 'code', kbd: 'code', samp: 'code', tt: 'code',
};

/** Converts HTML into runs. `base` resolves relative links (the item's own URL). */
export function htmlToRuns(html: string, base?: string): Run[] {
  const runs: Run[] = [];
  const depth = { strong: 0, em: 0, strike: 0, code: 0, pre: 0 };
  const links: (string | undefined)[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let drop: { name: string; depth: number } | undefined;
  let size = 0;
  const brk = (kind: 'line' | 'para') => runs.push({ brk: kind });
  for (const t of tokenizeHtml(html, MAX_RUN_TEXT)) {
    if (drop) {
      if (t.type === 'open' && t.name === drop.name && !t.selfClosing) drop.depth++;
      if (t.type === 'close' && t.name === drop.name && --drop.depth === 0) drop = undefined;
      continue;
    }
    if (t.type === 'text') {
      if (size >= MAX_RUN_TEXT) break;
      const text = t.text.slice(0, MAX_RUN_TEXT - size);
      size += text.length;
      const href = links[links.length - 1];
      const style = { strong: depth.strong > 0, em: depth.em > 0, strike: depth.strike > 0, code: depth.code > 0, pre: depth.pre > 0 };
      runs.push(href ? { text, ...style, href } : { text, ...style });
      continue;
    }
    const { name } = t;
    const opening = t.type === 'open';
    if (opening && DROP.has(name) && !t.selfClosing && !VOID.has(name)) {
      drop = { name, depth: 1 };
      continue;
    }
    if (name === 'br' && opening) brk('line');
    else if (name === 'tr' || name === 'li') {
      if (!opening) continue;
      brk('line');
      const list = lists[lists.length - 1];
      if (name === 'li') runs.push({ text: list?.ordered ? `${++list.n}. ` : '• ', strong: false, em: false, strike: false, code: false, pre: true });
    } else if (name === 'td' || name === 'th') {
      if (!opening) runs.push({ text: ' ', strong: false, em: false, strike: false, code: false, pre: false });
    } else if (BLOCK.has(name)) brk('para');
    if (name === 'ul' || name === 'ol') {
      if (opening) lists.push({ ordered: name === 'ol', n: 0 });
      else lists.pop();
    }
    if (name === 'a') {
      if (opening && !t.selfClosing) links.push(httpUrl(t.attrs.href, base));
      else if (!opening) links.pop();
    }
    const style = name === 'pre' ? 'pre' : STYLE[name];
    if (style && !(opening && t.selfClosing)) depth[style] = Math.max(0, depth[style] + (opening ? 1 : -1));
  }
  return runs;
}
