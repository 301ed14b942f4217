// Fixes the breakage real feeds ship with, before the strict XML parser sees it. rss-parser
// (xml2js/sax, strict) rejects a whole feed over one bare "&" or a stray control character.
import { decodeHTML } from 'entities';

const SPECIAL = /[&<>"']/;

// Any "&" that is not one of XML's own references: the only ones that need work.
const SUSPECT = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#[xX][0-9a-fA-F]+);)/;
// The same, global, capturing the name of a non-XML named reference ("nbsp") when there is one.
const SUSPECTS = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#[xX][0-9a-fA-F]+);)(?:([A-Za-z][A-Za-z0-9]*);)?/g;
// Characters XML 1.0 forbids outright (tab, LF and CR are allowed).
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const HAS_CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
// Sections where "&" is literal text and must be left alone.
const LITERAL = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g;

const named = new Map<string, string>();

/** A named reference rewritten as numeric (any HTML name works then), or escaped if unknown. */
function fixNamed(name: string): string {
  const hit = named.get(name);
  if (hit) return hit;
  const decoded = decodeHTML(`&${name};`);
  let out: string;
  if (decoded === `&${name};`) out = `&amp;${name};`;
  else if (SPECIAL.test(decoded)) out = [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
  else out = [...decoded].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('');
  if (named.size < 5000) named.set(name, out);
  return out;
}

function fixSegment(segment: string): string {
  return segment.replace(SUSPECTS, (_ref: string, name: string | undefined) => (name === undefined ? '&amp;' : fixNamed(name)));
}

function fixOutsideLiterals(text: string): string {
  // Fast path: well-formed feeds (most of them) need no rewriting at all.
  if (!SUSPECT.test(text)) return text;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(LITERAL)) {
    out += fixSegment(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + fixSegment(text.slice(last));
}

/** Drops whatever precedes the XML declaration or the first tag (blank lines, PHP warnings). */
function dropLeadingJunk(text: string): string {
  const decl = text.indexOf('<?xml');
  if (decl > 0 && decl < 4096) return text.slice(decl);
  if (decl === 0) return text;
  const tag = text.search(/<[!?A-Za-z]/);
  return tag > 0 ? text.slice(tag) : text;
}

/** The document now is a JS (UTF-16) string: the prolog must not claim another encoding. */
function fixProlog(text: string): string {
  if (!text.startsWith('<?xml')) return text;
  const end = text.indexOf('?>');
  if (end < 0) return text;
  const prolog = text.slice(0, end);
  const declared = /\sencoding\s*=\s*(["'])([^"']*)\1/.exec(prolog);
  // Rewriting copies the whole document, so leave the (common) UTF-8 declaration alone.
  if (!declared || /^utf-?8$/i.test(declared[2]!)) return text;
  return prolog.replace(declared[0], ' encoding="UTF-8"') + text.slice(end);
}

/** Cheap fixes every document gets: leading junk, the prolog's encoding, control characters. */
export function tidyXml(text: string): string {
  let out = dropLeadingJunk(text.replace(/^\uFEFF/, ''));
  out = fixProlog(out);
  if (HAS_CONTROL.test(out)) out = out.replace(CONTROL, '');
  return out;
}

/**
 * Escapes bare "&" and rewrites named references XML does not know (outside CDATA and
 * comments). Costs a pass over the text, so the parser runs it only after a strict parse failed.
 */
export function fixAmpersands(text: string): string {
  return fixOutsideLiterals(text);
}

/** Both: what a strict XML parser needs. */
export function repairXml(text: string): string {
  return fixAmpersands(tidyXml(text));
}
