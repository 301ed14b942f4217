// One filter term: a word or phrase (case-insensitive, whole words) or a /regex/flags.
// Regexes run on RE2 (re2js): matching time is linear in the text, so no pattern can
// hang the poller, and compiled patterns are cached by their source.
import { RE2JS } from 're2js';
import { UserError } from '../../domain/errors.js';

export const MAX_PATTERN_LENGTH = 200;
export const MAX_WORD_LENGTH = 100;
/** RE2 programs above this size are slow on long texts even though linear; refuse them. */
const MAX_PROGRAM_SIZE = 400;
const CACHE_LIMIT = 1000;

export type Matcher = (text: string, lowered: string) => boolean;

const REGEX = /^\/([\s\S]*)\/([a-z]*)$/;
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
export const isRegexTerm = (term: string) => REGEX.test(term);

/** Folds case and whitespace the same way for text and phrases. */
export const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

function wordMatcher(term: string): Matcher {
  const quoted = term.length >= 2 && term.startsWith('"') && term.endsWith('"');
  let phrase = quoted ? term.slice(1, -1) : term;
  // A trailing * (outside quotes) matches any ending: "releas*" finds "released".
  const prefix = !quoted && phrase.length > 1 && phrase.endsWith('*');
  if (prefix) phrase = phrase.slice(0, -1);
  const needle = fold(phrase).trim();
  if (!needle) throw new UserError(`The filter term ${term} is empty.`);
  if (needle.length > MAX_WORD_LENGTH) throw new UserError(`The filter term "${needle.slice(0, 30)}…" is longer than ${MAX_WORD_LENGTH} characters.`);
  const checkStart = isWordChar(needle[0]);
  const checkEnd = !prefix && isWordChar(needle[needle.length - 1]);
  return (_text, lowered) => {
    for (let i = lowered.indexOf(needle); i !== -1; i = lowered.indexOf(needle, i + 1)) {
      if (checkStart && isWordChar(lowered[i - 1])) continue;
      if (checkEnd && isWordChar(lowered[i + needle.length])) continue;
      return true;
    }
    return false;
  };
}

function programSize(re: RE2JS): number | undefined {
  // re2js has no public size accessor; its compiled program is reachable on the instance.
  // If that internal shape changes, the check is skipped and the length cap still applies.
  const inst = (re as unknown as { re2Input?: { prog?: { inst?: unknown } } }).re2Input?.prog?.inst;
  return Array.isArray(inst) ? inst.length : undefined;
}

function regexMatcher(term: string): Matcher {
  const [, pattern = '', flags = ''] = REGEX.exec(term) ?? [];
  if (!pattern) throw new UserError(`The regex ${term} is empty.`);
  if (pattern.length > MAX_PATTERN_LENGTH) throw new UserError(`The regex ${term.slice(0, 40)}… is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}.`);
  let bits = 0;
  // g and u mean nothing for a yes/no test; accepted because people paste JavaScript regexes.
  for (const f of new Set(flags)) {
    if (f === 'i') bits |= RE2JS.CASE_INSENSITIVE;
    else if (f === 'm') bits |= RE2JS.MULTILINE;
    else if (f === 's') bits |= RE2JS.DOTALL;
    else if (f !== 'u' && f !== 'g') {
      throw new UserError(`The regex ${term} has the flag "${f}"; only i, m and s are supported. To match the text literally, put it in quotes: "${term}"`);
    }
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, bits);
  } catch (err) {
    const why = (err as Error).message.replace(/^error parsing regexp: /, '');
    throw new UserError(`The regex ${term} is not valid: ${why}. Herald uses RE2 syntax (no lookaround or backreferences); put plain text in quotes to match it literally.`);
  }
  if ((programSize(re) ?? 0) > MAX_PROGRAM_SIZE) throw new UserError(`The regex ${term} is too complex; use smaller repetition counts.`);
  return (text) => re.test(text);
}

const cache = new Map<string, Matcher | UserError>();

/** Compiles a term once; throws UserError saying what is wrong with it. */
export function compileTerm(term: string): Matcher {
  let hit = cache.get(term);
  if (!hit) {
    try {
      hit = isRegexTerm(term) ? regexMatcher(term) : wordMatcher(term);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      hit = err;
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value ?? '');
    cache.set(term, hit);
  }
  if (hit instanceof UserError) throw hit;
  return hit;
}

/** How a term reads in a reason: regexes as written, words in quotes. */
export const describeTerm = (term: string) => (isRegexTerm(term) || /^".*"$/.test(term) ? term : `"${term}"`);
