// What kind of document is this? Decided by the content, with the Content-Type as a tie-breaker:
// servers label feeds text/html, text/plain or application/octet-stream all the time.

export type DocumentKind = { kind: 'json' } | { kind: 'xml-feed'; root: string } | { kind: 'html' } | { kind: 'other'; what: string };

/** Feed roots by local name, whatever prefix they carry ("rdf:RDF", "atom:feed", "x:rss"). */
const FEED_ROOTS = new Set(['rss', 'feed', 'rdf']);
const HEAD = 65_536;

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57) || c === 58 || c === 46 || c === 45;

/** Index just after the end of the markup declaration or PI at `lt`, found with indexOf only. */
function skipMarkup(s: string, lt: number): number {
  const to = (needle: string, from: number) => {
    const at = s.indexOf(needle, from);
    return at < 0 ? s.length : at + needle.length;
  };
  if (s.startsWith('<?', lt)) return to('?>', lt + 2);
  if (s.startsWith('<!--', lt)) return to('-->', lt + 4);
  // Up to the first ">" or "[": a DOCTYPE with an internal subset ends at "]" … ">".
  let j = lt + 2;
  while (j < s.length && s[j] !== '>' && s[j] !== '[') j++;
  if (j >= s.length) return s.length;
  return s[j] === '>' ? j + 1 : to('>', to(']', j));
}

/** The name of the first element, skipping the prolog, comments, PIs and a DOCTYPE. */
export function rootElement(text: string): string | undefined {
  const s = text.length > HEAD ? text.slice(0, HEAD) : text;
  let i = s.indexOf('<');
  while (i >= 0 && i < s.length) {
    const c = s.charCodeAt(i + 1);
    if (c === 63 || c === 33) i = s.indexOf('<', skipMarkup(s, i)); // "?" or "!"
    else if (isNameStart(c)) {
      let end = i + 2;
      while (end < s.length && isNameChar(s.charCodeAt(end))) end++;
      return s.slice(i + 1, end).toLowerCase();
    } else i = s.indexOf('<', i + 1);
  }
  return undefined;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const isFeedRoot = (name: string | undefined) => name !== undefined && FEED_ROOTS.has(localName(name));

export function sniff(text: string, contentType: string | undefined): DocumentKind {
  const start = text.trimStart().slice(0, 1);
  if (start === '{') return { kind: 'json' };
  const type = (contentType ?? '').toLowerCase();
  const root = start === '<' || type.includes('xml') ? rootElement(text) : undefined;
  if (isFeedRoot(root)) return { kind: 'xml-feed', root: root! };
  if (root === 'html' || (!root && type.includes('html'))) return { kind: 'html' };
  // Leading junk such as a PHP warning before <?xml: look further than the first character.
  const later = rootElement(text);
  if (isFeedRoot(later)) return { kind: 'xml-feed', root: later! };
  if (later === 'html' || later === 'head' || later === 'body') return { kind: 'html' };
  if (type.includes('json')) return { kind: 'json' };
  return { kind: 'other', what: root ? `an XML document with root <${root}>` : 'neither XML nor JSON' };
}
