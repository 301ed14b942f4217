// Short text fields (titles): decoded once, by what they are. Text stays text ("a <b> c" and
// "<!channel>" are characters); HTML goes through the tokenizer (tags dropped, scripts and
// styles dropped with their content, entities decoded). No regex ever runs on feed markup.
import { decodeHTML, decodeHTMLStrict } from 'entities';
import { tokenizeHtml } from '../render/html/tokenizer.js';

/** Longest short field read; titles are cut to 256 characters by the platforms anyway. */
export const MAX_TITLE_INPUT = 8000;

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Entities only: for fields that are plain text but often arrive entity-encoded (JSON Feed). */
export function decodeText(text: string | undefined): string {
  if (!text) return '';
  const capped = text.slice(0, MAX_TITLE_INPUT);
  return collapse(capped.includes('&') ? decodeHTML(capped) : capped);
}

// Inline elements join their neighbours; anything else separates words like a browser would.
const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr']);

/** A short field given as HTML: tags dropped, script/style content dropped, entities decoded once. */
export function htmlToText(html: string | undefined): string {
  if (!html) return '';
  const capped = html.slice(0, MAX_TITLE_INPUT);
  if (!capped.includes('<')) return decodeText(capped);
  let out = '';
  for (const t of tokenizeHtml(capped)) {
    if (t.type === 'text') out += t.text;
    else if (!INLINE.has(t.name)) out += ' ';
  }
  return collapse(out);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// feedparser's _HTMLSanitizer.acceptable_elements: the markup an RSS reader renders.
const ACCEPTABLE = new Set(
  ('a abbr acronym address area article aside audio b big blockquote br button canvas caption center cite code col colgroup command ' +
    'datagrid datalist dd del details dfn dialog dir div dl dt em event-source fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 ' +
    'header hr i img input ins kbd keygen label legend li m map menu meter multicol nav nextid noscript ol optgroup option output p pre ' +
    'progress q s samp section select small sound source spacer span strike strong sub sup table tbody td textarea tfoot th thead time tr tt u ul var video').split(' '),
);

const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** End of the run of word characters starting at `i`. */
function wordEnd(s: string, i: number): number {
  while (i < s.length && isWord(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Whether text from an RSS title is really HTML, decided as feedparser does: it has an end
 * tag or a character reference, every tag is one a reader would render (not <script>, not
 * <blink>), and every named reference is a real one. One forward scan.
 */
export function looksLikeHtml(s: string): boolean {
  let markup = false;
  for (let i = s.indexOf('<'); i >= 0; i = s.indexOf('<', i + 1)) {
    const close = s.charCodeAt(i + 1) === 47; // "/"
    const start = i + (close ? 2 : 1);
    const end = wordEnd(s, start);
    if (end === start) continue;
    if (!ACCEPTABLE.has(s.slice(start, end).toLowerCase())) return false;
    if (close && s[end] === '>') markup = true;
    i = end - 1;
  }
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) {
    const numeric = s[i + 1] === '#';
    const start = i + (numeric ? 2 : 1);
    const end = wordEnd(s, start);
    if (end === start || s[end] !== ';') continue;
    if (!numeric) {
      const ref = s.slice(i, end + 1);
      if (end - start > 40 || decodeHTMLStrict(ref) === ref) return false;
    }
    markup = true;
    i = end - 1;
  }
  return markup;
}

/** An RSS title (or other RSS text field): text unless it looks like HTML. */
export function rssText(value: string): string {
  const capped = value.slice(0, MAX_TITLE_INPUT);
  return looksLikeHtml(capped) ? htmlToText(capped) : collapse(capped);
}
