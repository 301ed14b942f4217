// Fixes the breakage real feeds ship with. The tree builder (xml-tree.ts) forgives bare "&"
// and HTML entities itself, so what is left here is what it cannot forgive: leading junk,
// a prolog that names another encoding than the (already decoded) text, and characters
// XML 1.0 forbids. Linear scans only.

// Characters XML 1.0 forbids outright (tab, LF and CR are allowed). One character class: linear.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HAS_CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

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
