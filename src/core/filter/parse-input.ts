// Filter options as typed in a command ("rust, /go(lang)?/i, \"machine learning\"") → FilterRule.
import { UserError } from '../../domain/errors.js';
import type { FilterRule } from '../../domain/records.js';
import { compileTerm, fold, isRegexTerm } from './terms.js';

export const FILTER_FIELDS: readonly FilterRule['field'][] = ['title', 'summary', 'author', 'categories', 'any'];
export const MAX_TERMS = 20;
const MAX_INPUT_LENGTH = 2000;

/** End of a /regex/flags starting at `i`: a "/" followed by flags, then a comma or the end. */
function regexEnd(s: string, i: number): number | undefined {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') {
      j++;
      continue;
    }
    if (s[j] !== '/') continue;
    let k = j + 1;
    while (k < s.length && /[a-z]/.test(s[k] ?? '')) k++;
    let m = k;
    while (m < s.length && /\s/.test(s[m] ?? '')) m++;
    if (m >= s.length || s[m] === ',') return k;
  }
  return undefined;
}

/** Splits on commas, except inside "quoted phrases" and /regexes/ (which may contain commas). */
export function splitTerms(input: string): string[] {
  const s = input.trim();
  const terms: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /[\s,]/.test(s[i] ?? '')) i++;
    if (i >= s.length) break;
    const regex = s[i] === '/' ? regexEnd(s, i) : undefined;
    let end: number;
    if (s[i] === '"') {
      const close = s.indexOf('"', i + 1);
      if (close === -1) throw new UserError(`The quote in ${s.slice(i, i + 30)} is never closed.`);
      end = close + 1;
    } else if (regex !== undefined) {
      end = regex;
    } else {
      const comma = s.indexOf(',', i);
      end = comma === -1 ? s.length : comma;
    }
    const term = s.slice(i, end).trim();
    const comma = s.indexOf(',', end);
    const rest = s.slice(end, comma === -1 ? s.length : comma).trim();
    if (rest) throw new UserError(`Unexpected "${rest.slice(0, 30)}" after ${term}; separate terms with commas.`);
    if (term) terms.push(term);
    i = comma === -1 ? s.length : comma;
  }
  return terms;
}

function termList(input: string | undefined, what: string): string[] {
  if (!input?.trim()) return [];
  if (input.length > MAX_INPUT_LENGTH) throw new UserError(`The ${what} list is longer than ${MAX_INPUT_LENGTH} characters.`);
  const seen = new Set<string>();
  const terms = splitTerms(input).filter((t) => {
    const key = isRegexTerm(t) ? t : fold(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (terms.length > MAX_TERMS) throw new UserError(`The ${what} list has ${terms.length} terms; the limit is ${MAX_TERMS}.`);
  for (const t of terms) compileTerm(t); // throws a UserError naming the bad term
  return terms;
}

/**
 * Parses the include/exclude/field options of a filter command. Terms are comma-separated
 * words or phrases (whole words, any case; "quoted" to match literally; a trailing * for
 * any ending) or /regex/flags (RE2 syntax, flags i, m, s). Empty lists mean "no filter".
 */
export function parseFilterInput(include?: string, exclude?: string, field?: string): FilterRule {
  const f = (field?.trim() || 'any').toLowerCase();
  if (!(FILTER_FIELDS as readonly string[]).includes(f)) {
    throw new UserError(`Unknown filter field "${field}". Use one of: ${FILTER_FIELDS.join(', ')}.`);
  }
  return { include: termList(include, 'include'), exclude: termList(exclude, 'exclude'), field: f as FilterRule['field'] };
}
