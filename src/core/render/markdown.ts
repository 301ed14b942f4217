// The light markdown of RenderModel.summary and templateText: **strong**, _em_ or *em*,
// ~~strike~~, `code`, [text](url), bare URLs, "\" escapes and line breaks. Core writes it;
// each platform reads it back as tokens and formats them its own way, so feed text can
// never smuggle formatting or links past the platform layer.
import type { Formatter } from './fit.js';
import { httpUrl, toRfc3986 } from './url.js';

export type MdToken =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em' | 'strike' }
  | { type: 'code'; text: string }
  | { type: 'link'; text: string; url: string }
  | { type: 'url'; url: string };

const MAX_LINK_TEXT = 300;
const MAX_CODE = 1000;
const URL_START = /^https?:\/\//i;
const ESCAPABLE = /[!-/:-@[-`{-~]/; // ASCII punctuation

/** End (exclusive) of the bare URL starting at `i`, trailing punctuation left out. */
export function urlSpanEnd(s: string, i: number): number {
  let end = i;
  let open = 0;
  let close = 0;
  // A backslash ends a URL: browsers read it as "/", and here it starts a markdown escape.
  while (end < s.length && !/[\s<>"\\]/.test(s[end] ?? ' ')) {
    if (s[end] === '(') open++;
    else if (s[end] === ')') close++;
    end++;
  }
  // "(see https://x.org/a_(b))." keeps the balanced ")" and drops the rest, like GitHub.
  for (;;) {
    const last = s[end - 1] ?? '';
    if (/[.,;:!?'*_~]/.test(last)) end--;
    else if (last === ')' && open < close) {
      end--;
      close--;
    } else return end;
  }
}

const keepsRaw = (raw: string) => {
  const bare = raw.replace(/[()]/g, '');
  return toRfc3986(bare) === bare;
};

const startsUrl = (s: string, i: number) => (i === 0 || !/[\p{L}\p{N}]/u.test(s[i - 1] ?? '')) && URL_START.test(s.slice(i, i + 8));

const escapePlain = (s: string) => s.replace(/[\\*_~`|[\]<>#]/g, '\\$&');

/** Escapes feed text so it reads literally; bare URLs stay untouched so they still link. */
export function escapeMarkdown(text: string): string {
  if (!text.includes('://')) return escapePlain(text); // the common case, kept cheap
  let out = '';
  let from = 0;
  for (const m of text.matchAll(/https?:\/\//gi)) {
    if (m.index < from || !startsUrl(text, m.index)) continue;
    const end = urlSpanEnd(text, m.index);
    out += escapePlain(text.slice(from, m.index)) + text.slice(m.index, end);
    from = end;
  }
  return out + escapePlain(text.slice(from));
}

/** [text](url) at `i`, or undefined; scans are bounded so broken input stays linear. */
function readLink(s: string, i: number): { token: MdToken; end: number } | undefined {
  let j = i + 1;
  let text = '';
  while (j < s.length && j - i <= MAX_LINK_TEXT && s[j] !== ']') {
    const ch = s[j] ?? '';
    if (ch === '[' || ch === '\n') return undefined;
    if (ch === '\\' && ESCAPABLE.test(s[j + 1] ?? '')) j++;
    text += s[j++] ?? '';
  }
  if (s[j] !== ']' || s[j + 1] !== '(') return undefined;
  const start = j + 2;
  let k = start;
  while (k < s.length && k - start <= 2048 && !/[\s()<>[\]]/.test(s[k] ?? ' ')) k++;
  if (s[k] !== ')') return undefined;
  const url = httpUrl(s.slice(start, k));
  return url ? { token: { type: 'link', text, url }, end: k + 1 } : undefined;
}

export function tokenizeMarkdown(md: string): MdToken[] {
  const out: MdToken[] = [];
  let text = '';
  const push = (t: MdToken) => {
    if (text) out.push({ type: 'text', text });
    text = '';
    out.push(t);
  };
  for (let i = 0; i < md.length; ) {
    const ch = md[i] ?? '';
    const next = md[i + 1] ?? '';
    const link = ch === '[' ? readLink(md, i) : undefined;
    if (ch === '\\' && ESCAPABLE.test(next)) {
      text += next;
      i += 2;
    } else if ((ch === '*' && next === '*') || (ch === '~' && next === '~')) {
      push({ type: ch === '*' ? 'strong' : 'strike' });
      i += 2;
    } else if (ch === '*' || (ch === '_' && !(/[\p{L}\p{N}]/u.test(md[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(next)))) {
      push({ type: 'em' });
      i += 1;
    } else if (ch === '`' && md.indexOf('`', i + 1) !== -1 && md.indexOf('`', i + 1) - i <= MAX_CODE) {
      const end = md.indexOf('`', i + 1);
      push({ type: 'code', text: md.slice(i + 1, end) });
      i = end + 1;
    } else if (link) {
      push(link.token);
      i = link.end;
    } else if ((ch === 'h' || ch === 'H') && startsUrl(md, i)) {
      const end = urlSpanEnd(md, i);
      const raw = md.slice(i, end);
      const url = httpUrl(raw);
      // Keep the URL as written when it is already an RFC 3986 URI that cannot close or
      // open markup (parentheses are harmless in a bare URL), so readers see what the feed wrote.
      if (url) push({ type: 'url', url: keepsRaw(raw) ? raw : url });
      else text += raw;
      i = end;
    } else {
      text += ch;
      i += 1;
    }
  }
  if (text) out.push({ type: 'text', text });
  return balanceMarkers(out);
}

/** A marker without a partner is literal text ("5 * 3"), not the start of formatting. */
function balanceMarkers(tokens: MdToken[]): MdToken[] {
  const literal: Record<string, string> = { strong: '**', em: '*', strike: '~~' };
  for (const type of ['strong', 'em', 'strike'] as const) {
    const at = tokens.flatMap((t, i) => (t.type === type ? [i] : []));
    const last = at[at.length - 1];
    if (at.length % 2 === 1 && last !== undefined) tokens[last] = { type: 'text', text: literal[type] ?? '' };
  }
  return tokens;
}

/** Plain text of light markdown: formatting dropped, links as their text. */
export function markdownToPlain(md: string): string {
  return tokenizeMarkdown(md)
    .map((t) => (t.type === 'text' || t.type === 'code' || t.type === 'link' ? t.text : t.type === 'url' ? t.url : ''))
    .join('');
}

/** Writes tokens back as light markdown (used to re-cut markdown without breaking it). */
export const lightMarkdown: Formatter = {
  text: escapeMarkdown,
  marker: (m) => (m === 'strong' ? '**' : m === 'em' ? '_' : '~~'),
  code: (c) => `\`${c}\``,
  link: (t, u) => `[${escapeMarkdown(t)}](${u})`,
  url: (u) => u,
};
