// Fitting formatted text into a platform's size limit. Limits count the *formatted*
// output (escapes, entities and markup included), so cutting happens token by token
// on the formatted form: never inside an escape, an entity or a link, and on a word
// boundary when one is near. Markup left open by the cut is closed.
import type { MdToken } from './markdown.js';

export const ELLIPSIS = '…';

export type Marker = 'strong' | 'em' | 'strike';

/**
 * How a platform writes each token. `text` must format whitespace-separated words
 * independently (cuts format word by word), and a longer prefix never formats shorter.
 */
export interface Formatter {
  text(plain: string): string;
  marker(type: Marker): string;
  code(plain: string): string;
  link(text: string, url: string): string;
  url(url: string): string;
}

export function emit(t: MdToken, f: Formatter): string {
  switch (t.type) {
    case 'text':
      return f.text(t.text);
    case 'code':
      return f.code(t.text);
    case 'link':
      return f.link(t.text, t.url);
    case 'url':
      return f.url(t.url);
    default:
      return f.marker(t.type);
  }
}

/** Longest formatted prefix of `plain` within `room`, cut at whitespace when possible. */
function cutText(plain: string, room: number, f: Formatter, hardCut: boolean): string {
  let acc = '';
  for (const part of plain.split(/(\s+)/)) {
    const piece = f.text(part);
    if (acc.length + piece.length <= room) {
      acc += piece;
      continue;
    }
    if (!hardCut) break;
    // No usable word boundary: cut the word itself, on a whole-character boundary.
    let lo = 0;
    let hi = part.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (acc.length + f.text(part.slice(0, mid)).length <= room) lo = mid;
      else hi = mid - 1;
    }
    const code = part.charCodeAt(lo - 1);
    const end = code >= 0xd800 && code <= 0xdbff ? lo - 1 : lo;
    acc += f.text(part.slice(0, end));
    break;
  }
  return acc;
}

/** Formats tokens, cutting with "…" so the result is at most `max` characters. */
export function renderWithin(tokens: MdToken[], max: number, f: Formatter): string {
  const full = tokens.map((t) => emit(t, f)).join('');
  if (full.length <= max) return full;
  if (max < ELLIPSIS.length) return '';
  const closersMax = f.marker('strong').length + f.marker('em').length + f.marker('strike').length;
  const budget = Math.max(0, max - ELLIPSIS.length - closersMax);
  let out = '';
  const open: { type: Marker; pos: number }[] = [];
  for (const t of tokens) {
    const piece = emit(t, f);
    if (out.length + piece.length > budget) {
      if (t.type === 'text') {
        const room = budget - out.length;
        const byWord = cutText(t.text, room, f, false);
        // A boundary that throws away more than half the space is worse than a hard cut.
        out += out.length + byWord.trimEnd().length >= budget / 2 ? byWord : cutText(t.text, room, f, true);
      }
      break;
    }
    out += piece;
    if (t.type === 'strong' || t.type === 'em' || t.type === 'strike') {
      const at = open.findIndex((o) => o.type === t.type);
      if (at === -1) open.push({ type: t.type, pos: out.length - piece.length });
      else open.splice(at, 1);
    }
  }
  out = out.trimEnd();
  for (const o of open.reverse()) {
    const marker = f.marker(o.type);
    // Nothing left inside: drop the opener rather than leave "****" behind.
    out = out.length === o.pos + marker.length ? out.slice(0, o.pos).trimEnd() : out + marker;
  }
  return out + ELLIPSIS;
}

const plain: Formatter = { text: (s) => s, marker: () => '', code: (s) => s, link: (t) => t, url: (u) => u };

/** Plain text cut to `max` characters on a word boundary, with "…" when cut. */
export function truncateText(text: string, max: number): string {
  return renderWithin([{ type: 'text', text }], max, plain);
}
