// HTML → a flat list of tokens, on htmlparser2's Tokenizer: a linear state machine that never
// throws and never backtracks. Only the tokenizer is used, not htmlparser2's Parser: the
// Parser keeps its open-element stack with Array.unshift and searches it on every end tag,
// which is quadratic on deeply nested or mismatched markup. Callers that need nesting keep
// their own counters. Entities are decoded here, once, with the complete tables of `entities`.
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

export type HtmlToken =
  | { type: 'text'; text: string }
  | { type: 'open'; name: string; attrs: Record<string, string>; selfClosing: boolean; raw: string }
  | { type: 'close'; name: string; raw: string };

/** Longer input is cut: a summary never needs more, and work stays bounded. */
export const MAX_HTML_LENGTH = 200_000;
/** Markup-heavy documents stop here even when their text is short. */
export const MAX_TOKENS = 20_000;

/** Elements whose content is never text for a reader: skipped with everything inside. */
const RAW_TEXT = new Set(['script', 'style', 'iframe', 'noembed', 'noframes', 'xmp', 'textarea', 'title', 'noscript', 'template']);

export interface TokenizeLimits {
  /** Input read (default MAX_HTML_LENGTH). */
  maxLength?: number;
  /** Tokens kept (default MAX_TOKENS). */
  maxTokens?: number;
  /** Only these tags are kept as tokens (text too when `text` is true); cheaper scans. */
  only?: ReadonlySet<string>;
  text?: boolean;
}

/** Tokens of `input`; stops early once `maxText` characters of text were read. */
export function tokenizeHtml(input: string, maxText = Infinity, limits: TokenizeLimits = {}): HtmlToken[] {
  const maxLength = limits.maxLength ?? MAX_HTML_LENGTH;
  const maxTokens = limits.maxTokens ?? MAX_TOKENS;
  const { only } = limits;
  const keepText = !only || limits.text === true;
  const s = input.length > maxLength ? input.slice(0, maxLength) : input;
  const out: HtmlToken[] = [];
  let textSize = 0;
  // Inside a RAW_TEXT element: its name and how deep (a nested <noscript> must not end it early).
  let skip: { name: string; depth: number } | undefined;
  let tag: { name: string; start: number; attrs: Record<string, string> } | undefined;
  let attrName = '';
  let attrValue = '';
  let pendingText = '';

  const flushText = () => {
    if (!pendingText) return;
    const text = pendingText.includes('&') ? decodeHTML(pendingText) : pendingText;
    pendingText = '';
    const last = out[out.length - 1];
    if (last?.type === 'text') last.text += text;
    else out.push({ type: 'text', text });
    textSize += text.length;
  };
  const push = (t: Exclude<HtmlToken, { type: 'text' }>) => {
    flushText();
    if (only && !only.has(t.name)) return;
    out.push(t);
    if (out.length >= maxTokens || textSize > maxText) tokenizer.pause();
  };
  const endOpen = (end: number, selfClosing: boolean) => {
    if (!tag) return;
    const { name, start, attrs } = tag;
    tag = undefined;
    if (skip) {
      if (name === skip.name && !selfClosing) skip.depth++;
      return;
    }
    push({ type: 'open', name, attrs, selfClosing, raw: s.slice(start, end + 1) });
    if (RAW_TEXT.has(name) && !selfClosing) skip = { name, depth: 1 };
  };

  const cbs: TokenizerCallbacks = {
    ontext(start, end) {
      if (skip || !keepText) return;
      pendingText += s.slice(start, end);
      if (textSize + pendingText.length > maxText) {
        flushText();
        tokenizer.pause();
      }
    },
    ontextentity() {},
    onopentagname(start, end) {
      tag = { name: s.slice(start, end).toLowerCase(), start: start - 1, attrs: {} };
    },
    onattribname(start, end) {
      attrName = s.slice(start, end).toLowerCase();
      attrValue = '';
    },
    onattribdata(start, end) {
      attrValue += s.slice(start, end);
    },
    onattribentity() {},
    onattribend() {
      if (tag && attrName && !Object.hasOwn(tag.attrs, attrName)) tag.attrs[attrName] = attrValue.includes('&') ? decodeHTMLAttribute(attrValue) : attrValue;
      attrName = '';
    },
    onopentagend(end) {
      endOpen(end, false);
    },
    onselfclosingtag(end) {
      endOpen(end, true);
    },
    onclosetag(start, end) {
      const name = s.slice(start, end).toLowerCase();
      if (skip) {
        if (name === skip.name && --skip.depth === 0) skip = undefined;
        return;
      }
      push({ type: 'close', name, raw: `</${s.slice(start, end)}>` });
    },
    oncdata() {},
    oncomment() {},
    ondeclaration() {},
    onprocessinginstruction() {},
    onend() {
      flushText();
    },
  };
  // decodeEntities is off: text and attribute slices are decoded above, in one piece each.
  const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: false }, cbs);
  tokenizer.write(s);
  tokenizer.end();
  flushText();
  return out;
}
