// Fixes the breakage real feeds ship with. The tree builder (xml-tree.ts) forgives bare "&"
// and HTML entities itself; tidyXml still drops leading junk and forbidden control characters.
// fixAmpersands/repairXml make a document acceptable to a strict XML parser (linear scans).
import { decodeHTMLStrict } from 'entities';

const SPECIAL = /[&<>"']/;
// Characters XML 1.0 forbids outright (tab, LF and CR are allowed). One character class: linear.
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const HAS_CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
/** XML's own references, left as they are. */
const XML_NAMES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const MAX_NAME = 32;

const named = new Map<string, string>();

/** A named reference rewritten as numeric (any HTML name works then), or escaped if unknown. */
function fixNamed(name: string): string {
  const hit = named.get(name);
  if (hit) return hit;
  const decoded = decodeHTMLStrict(`&${name};`);
  let out: string;
  if (decoded === `&${name};`) out = `&amp;${name};`;
  else if (SPECIAL.test(decoded)) out = [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
  else out = [...decoded].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('');
  if (named.size < 5000) named.set(name, out);
  return out;
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** The reference starting at `amp` rewritten for a strict XML parser, and where it ends. */
function fixReference(s: string, amp: number): [string, number] {
  let i = amp + 1;
  if (s[i] === '#') {
    const hex = s[i + 1] === 'x' || s[i + 1] === 'X';
    let j = i + (hex ? 2 : 1);
    const digits = j;
    while (j < s.length && j - digits < MAX_NAME && (hex ? isHex(s.charCodeAt(j)) : isAlnum(s.charCodeAt(j)) && s.charCodeAt(j) <= 57)) j++;
    if (j > digits && s[j] === ';') return [s.slice(amp, j + 1), j + 1];
    return ['&amp;', amp + 1];
  }
  while (i < s.length && i - amp <= MAX_NAME && isAlnum(s.charCodeAt(i))) i++;
  const name = s.slice(amp + 1, i);
  if (!name || s[i] !== ';' || !isAlnum(name.charCodeAt(0)) || name.charCodeAt(0) <= 57) return ['&amp;', amp + 1];
  return [XML_NAMES.has(name) ? `&${name};` : fixNamed(name), i + 1];
}

/** Index after the CDATA section or comment at `at` (the rest of the text when unclosed). */
function literalEnd(s: string, at: number): number {
  const close = s.startsWith('<!--', at) ? '-->' : ']]>';
  const end = s.indexOf(close, at + 4);
  return end < 0 ? s.length : end + close.length;
}

/** One forward pass with indexOf: CDATA sections and comments are copied untouched. */
function fixOutsideLiterals(s: string): string {
  if (!s.includes('&')) return s;
  let out = '';
  let i = 0;
  // Next literal section starts, looked up again only once passed: each indexOf moves forward.
  let cdata = s.indexOf('<![CDATA[');
  let comment = s.indexOf('<!--');
  while (i < s.length) {
    if (cdata >= 0 && cdata < i) cdata = s.indexOf('<![CDATA[', i);
    if (comment >= 0 && comment < i) comment = s.indexOf('<!--', i);
    const amp = s.indexOf('&', i);
    if (amp < 0) break;
    const literal = cdata < 0 ? comment : comment < 0 ? cdata : Math.min(cdata, comment);
    if (literal >= 0 && literal < amp) {
      const end = literalEnd(s, literal);
      out += s.slice(i, end);
      i = end;
      continue;
    }
    const [ref, next] = fixReference(s, amp);
    out += s.slice(i, amp) + ref;
    i = next;
  }
  return out + s.slice(i);
}

/** Drops whatever precedes the XML declaration or the first tag (blank lines, PHP warnings). */
function dropLeadingJunk(text: string): string {
  const decl = text.indexOf('<?xml');
  if (decl > 0 && decl < 4096) return text.slice(decl);
  if (decl === 0) return text;
  const tag = text.slice(0, 65_536).search(/<[!?A-Za-z]/);
  return tag > 0 ? text.slice(tag) : text;
}

/** The document now is a JS (UTF-16) string: the prolog must not claim another encoding. */
function fixProlog(text: string): string {
  if (!text.startsWith('<?xml')) return text;
  const end = text.indexOf('?>');
  if (end < 0 || end > 512) return text;
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

/** Escapes bare "&" and rewrites named references XML does not know (outside CDATA and comments). */
export function fixAmpersands(text: string): string {
  return fixOutsideLiterals(text);
}

/** Both: what a strict XML parser needs. */
export function repairXml(text: string): string {
  return fixAmpersands(tidyXml(text));
}
