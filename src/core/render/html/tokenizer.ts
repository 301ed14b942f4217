// A forgiving, linear HTML tokenizer. Feed HTML is often broken, so it never throws and
// never backtracks: every step moves forward, and each indexOf/regex scan starts where
// the previous one stopped.

export type HtmlToken =
  | { type: 'text'; text: string }
  | { type: 'open'; name: string; attrs: Record<string, string>; selfClosing: boolean; raw: string }
  | { type: 'close'; name: string; raw: string };

/** Longer input is cut: a summary never needs more, and work stays bounded. */
export const MAX_HTML_LENGTH = 200_000;
/** Markup-heavy documents stop here even when their text is short. */
export const MAX_TOKENS = 20_000;

/** Elements whose content is not markup; their body is skipped, not tokenized. */
const RAW_TEXT = new Set(['script', 'style', 'iframe', 'noembed', 'noframes', 'xmp', 'textarea', 'title', 'noscript', 'template']);

const isNameStart = (c: string | undefined) => c !== undefined && /[a-zA-Z]/.test(c);
const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';

interface Cursor {
  s: string;
  i: number;
}

function readName(c: Cursor): string {
  const start = c.i;
  while (c.i < c.s.length && !isSpace(c.s[c.i]) && c.s[c.i] !== '>' && c.s[c.i] !== '/' && c.s[c.i] !== '=') c.i++;
  return c.s.slice(start, c.i).toLowerCase();
}

/** Reads attributes up to and including '>'; returns false when the tag never ends. */
function readAttrs(c: Cursor, attrs: Record<string, string>): { ended: boolean; selfClosing: boolean } {
  let selfClosing = false;
  while (c.i < c.s.length) {
    const ch = c.s[c.i];
    if (ch === '>') {
      c.i++;
      return { ended: true, selfClosing };
    }
    if (isSpace(ch) || ch === '/') {
      selfClosing = ch === '/';
      c.i++;
      continue;
    }
    selfClosing = false;
    const name = readName(c) || (c.s[c.i++] ?? '');
    while (isSpace(c.s[c.i])) c.i++;
    let value = '';
    if (c.s[c.i] === '=') {
      c.i++;
      while (isSpace(c.s[c.i])) c.i++;
      const q = c.s[c.i];
      if (q === '"' || q === "'") {
        const end = c.s.indexOf(q, c.i + 1);
        if (end === -1) return { ended: false, selfClosing };
        value = c.s.slice(c.i + 1, end);
        c.i = end + 1;
      } else {
        const start = c.i;
        while (c.i < c.s.length && !isSpace(c.s[c.i]) && c.s[c.i] !== '>') c.i++;
        value = c.s.slice(start, c.i);
      }
    }
    if (name && !Object.hasOwn(attrs, name)) attrs[name] = value;
  }
  return { ended: false, selfClosing };
}

/** Tokens of `input`; stops early once `maxText` characters of text were read. */
export function tokenizeHtml(input: string, maxText = Infinity): HtmlToken[] {
  const s = input.length > MAX_HTML_LENGTH ? input.slice(0, MAX_HTML_LENGTH) : input;
  const out: HtmlToken[] = [];
  let textSize = 0;
  const c: Cursor = { s, i: 0 };
  const skipTo = (needle: string, from: number) => {
    const end = s.indexOf(needle, from);
    c.i = end === -1 ? s.length : end + needle.length;
  };
  while (c.i < s.length && textSize <= maxText && out.length < MAX_TOKENS) {
    const lt = s.indexOf('<', c.i);
    if (lt === -1) {
      out.push({ type: 'text', text: s.slice(c.i) });
      break;
    }
    if (lt > c.i) {
      out.push({ type: 'text', text: s.slice(c.i, lt) });
      textSize += lt - c.i;
    }
    const next = s[lt + 1];
    if (s.startsWith('<!--', lt)) skipTo('-->', lt + 4);
    else if (next === '!' || next === '?') skipTo('>', lt + 2); // doctype, CDATA, processing instruction
    else if (next === '/' && isNameStart(s[lt + 2])) {
      c.i = lt + 2;
      const name = readName(c);
      skipTo('>', c.i);
      out.push({ type: 'close', name, raw: s.slice(lt, c.i) });
    } else if (isNameStart(next)) {
      c.i = lt + 1;
      const name = readName(c);
      const attrs: Record<string, string> = {};
      const { ended, selfClosing } = readAttrs(c, attrs);
      if (!ended) break; // an unterminated tag swallows the rest, as browsers do
      out.push({ type: 'open', name, attrs, selfClosing, raw: s.slice(lt, c.i) });
      if (RAW_TEXT.has(name) && !selfClosing) {
        const closer = new RegExp(`</${name}[\\s/>]`, 'gi');
        closer.lastIndex = c.i;
        const m = closer.exec(s);
        c.i = m ? m.index : s.length;
      }
    } else {
      out.push({ type: 'text', text: '<' });
      c.i = lt + 1;
    }
  }
  return out;
}
