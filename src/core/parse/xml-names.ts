// Namespace-aware element names. Feeds bind the same namespaces to different prefixes
// ("rss:item", "dc:title" as "dcel:title", Atom as "atom10:") or declare RSS 1.0 without a
// default namespace; mapping by namespace URI gives the mapping code one spelling of each.

/** Namespace URI → the prefix Herald reads it under ('' = none). */
const KNOWN = new Map<string, string>([
  ['http://purl.org/rss/1.0/', ''],
  ['http://my.netscape.com/rdf/simple/0.9/', ''],
  ['http://backend.userland.com/rss2', ''],
  ['http://backend.userland.com/rss', ''],
  ['http://www.w3.org/1999/xhtml', ''],
  ['http://www.w3.org/2005/Atom', 'atom'],
  ['http://purl.org/atom/ns#', 'atom'],
  ['http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'rdf'],
  ['http://purl.org/dc/elements/1.1/', 'dc'],
  ['http://purl.org/dc/terms/', 'dcterms'],
  ['http://purl.org/rss/1.0/modules/content/', 'content'],
  ['http://search.yahoo.com/mrss/', 'media'],
  ['http://search.yahoo.com/mrss', 'media'],
  ['http://www.itunes.com/dtds/podcast-1.0.dtd', 'itunes'],
  ['http://purl.org/rss/1.0/modules/syndication/', 'sy'],
]);
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/** Prefix bindings in force at one element ('' = the default namespace). */
export interface Scope {
  ns: Map<string, string>;
  /** The root element's namespace, read as no prefix (Atom's, or an RSS 2.0 root's own). */
  rootNs?: string;
}

const EMPTY: Scope = { ns: new Map() };

/** The scope inside an element: the parent's, plus its own xmlns declarations. */
export function declare(parent: Scope | undefined, attrs: Record<string, string | undefined>): Scope {
  let scope = parent ?? EMPTY;
  for (const k in attrs) {
    if (k !== 'xmlns' && !k.startsWith('xmlns:')) continue;
    if (scope === (parent ?? EMPTY)) scope = { ns: new Map(scope.ns), ...(scope.rootNs === undefined ? {} : { rootNs: scope.rootNs }) };
    scope.ns.set(k === 'xmlns' ? '' : k.slice(6), (attrs[k] ?? '').trim());
  }
  return scope;
}

/** Call once for the root element: its namespace then reads as no prefix throughout. */
export function rootScope(scope: Scope, rawName: string): Scope {
  const colon = rawName.indexOf(':');
  const uri = scope.ns.get(colon < 0 ? '' : rawName.slice(0, colon));
  if (!uri || uri === RDF || KNOWN.get(uri) === '') return scope;
  return { ns: scope.ns, rootNs: uri };
}

/** The name Herald reads an element (or prefixed attribute) under. */
export function canonicalName(raw: string, scope: Scope, isAttr: boolean): string {
  const colon = raw.indexOf(':');
  if (colon < 0 && isAttr) return raw;
  const uri = scope.ns.get(colon < 0 ? '' : raw.slice(0, colon));
  if (uri === undefined || uri === '') return raw;
  const local = colon < 0 ? raw : raw.slice(colon + 1);
  if (!isAttr && uri === scope.rootNs) return local;
  const known = KNOWN.get(uri);
  if (known === undefined) return raw;
  return known ? `${known}:${local}` : local;
}
