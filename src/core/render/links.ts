// Deceptive links: a link whose visible text names another site ("paypal.com" pointing
// at evil.example). Feeds are untrusted, so such links are shown with their real target.
// Link text is compared as a reader sees it: after NFKC (fullwidth letters), without
// zero-width characters, and with look-alike letters from other scripts caught.
import { domainToASCII } from 'node:url';
import { hostOf } from './url.js';

const COMMON_TLDS = new Set(
  ('com net org io co dev app ai gov edu mil int info biz me tv us uk de fr ru cn jp br in it es nl eu ca au ch se no pl ' +
    'be at dk fi cz pt gr ie nz za kr tw hk sg xyz site online ly gg sh to fm link page blog news shop store live top club')
    .split(' '),
);

/**
 * Invisible characters that split a word for the checker but not for the eye. The combining
 * ones (U+034F, U+17B4/5, the variation selectors) come first, so none of them sits after a
 * base character in the class, where it would read as one combined character.
 */
const INVISIBLE = /[\u034f\u17b4\u17b5\u180b-\u180f\ufe00-\ufe0f\u00ad\u061c\u115f\u1160\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0]/g;
/** Dots that URL parsers read as "." (NFKC keeps the ideographic one). */
const DOTS = /[\u3002\uff0e\uff61]/g;

/** What a reader sees: NFKC, no invisible characters, every dot a dot. Text is capped first. */
export function visibleText(text: string): string {
  return text.slice(0, 2000).normalize('NFKC').replace(INVISIBLE, '').replace(DOTS, '.');
}

/**
 * Letters of Cyrillic and Greek that pass for Latin ones. A domain label that mixes them
 * with Latin letters, or is made of nothing else, imitates a Latin name ("pаypal", "аррӏе").
 */
const LOOKALIKES = new Set([...'аАвВеЕёЁһҺіІјЈкКмМнНоОрРсСтТуУхХѕЅԁԛԝүӏӀɑαΑβΒεΕζΖηΗιΙκΚμΜνΝοΟρΡτΤυΥχΧ']);
const LATIN = /\p{Script=Latin}/u;
const OTHER_LETTER = /(?!\p{Script=Latin})\p{L}/u;

function imitatesLatin(label: string): boolean {
  const letters = [...label].filter((c) => /\p{L}/u.test(c));
  const foreign = letters.filter((c) => OTHER_LETTER.test(c));
  if (!foreign.length) return false;
  const lookalike = foreign.filter((c) => LOOKALIKES.has(c)).length;
  if (letters.some((c) => LATIN.test(c))) return lookalike > 0; // mixed scripts
  return lookalike === foreign.length; // a whole label of look-alikes
}

/** The host a piece of link text presents itself as, if it looks like a URL or domain. */
function presentedHost(word: string): { host: string; lookalike: boolean } | undefined {
  const w = word.replace(/^[("'[<]+|[)"'\]>.,;:!?]+$/g, '');
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(w);
  const written = (w.slice(scheme?.[0].length ?? 0).split(/[/?#:@]/, 1)[0] ?? '').toLowerCase();
  const labels = written.split('.');
  if (labels.length < 2 || !labels.every((l) => /^[\p{L}\p{N}\p{M}-]{1,63}$/u.test(l))) {
    if (!scheme) return undefined;
    const host = hostOf(w);
    return host ? { host, lookalike: false } : undefined;
  }
  const lookalike = labels.some(imitatesLatin);
  const ascii = domainToASCII(written);
  if (!ascii) return lookalike ? { host: written, lookalike } : undefined;
  const tld = labels[labels.length - 1] ?? '';
  if (!scheme && !lookalike && labels[0] !== 'www' && !COMMON_TLDS.has(tld)) return undefined;
  return { host: ascii.replace(/^www\./, ''), lookalike };
}

/**
 * True when the text shows a host that is neither the target's host nor a parent of it,
 * or shows a domain spelled with look-alike letters (whatever it points to).
 */
export function isDeceptiveLink(text: string, url: string): boolean {
  const target = hostOf(url);
  if (!target) return true;
  return visibleText(text)
    .split(/\s+/)
    .slice(0, 50)
    .some((word) => {
      const shown = presentedHost(word);
      if (!shown) return false;
      return shown.lookalike || (shown.host !== target && !target.endsWith(`.${shown.host}`));
    });
}

/** Link text that just repeats the URL: better shown as a bare, auto-linked URL. */
export function isSelfLink(text: string, url: string): boolean {
  const norm = (s: string) => s.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/$/, '');
  return norm(text) === norm(url);
}
