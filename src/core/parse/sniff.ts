// What kind of document is this? Decided by the content, with the Content-Type as a tie-breaker:
// servers label feeds text/html, text/plain or application/octet-stream all the time.

export type DocumentKind = { kind: 'json' } | { kind: 'xml-feed'; root: string } | { kind: 'html' } | { kind: 'other'; what: string };

const FEED_ROOTS = new Set(['rss', 'feed', 'rdf:rdf']);

/** The name of the first element, skipping the prolog, comments, PIs and a DOCTYPE. */
export function rootElement(text: string): string | undefined {
  const head = text.slice(0, 65_536).replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>/gi, '');
  return /<([A-Za-z][\w:.-]*)/.exec(head)?.[1]?.toLowerCase();
}

export function sniff(text: string, contentType: string | undefined): DocumentKind {
  const start = text.trimStart().slice(0, 1);
  if (start === '{') return { kind: 'json' };
  const root = start === '<' || /xml/i.test(contentType ?? '') ? rootElement(text) : undefined;
  if (root && FEED_ROOTS.has(root)) return { kind: 'xml-feed', root };
  if (root === 'html' || (!root && /html/i.test(contentType ?? ''))) return { kind: 'html' };
  // Leading junk such as a PHP warning before <?xml: look further than the first character.
  const later = rootElement(text);
  if (later && FEED_ROOTS.has(later)) return { kind: 'xml-feed', root: later };
  if (later === 'html' || later === 'head' || later === 'body') return { kind: 'html' };
  if (/json/i.test(contentType ?? '')) return { kind: 'json' };
  return { kind: 'other', what: root ? `an XML document with root <${root}>` : 'neither XML nor JSON' };
}
