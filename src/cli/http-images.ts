// Finds the http:// image Herald leaves out of a post, so preview can say so. The feed's own
// candidates first, then the content's <img> (htmlparser2: no regex over feed HTML).
import { Parser } from 'htmlparser2';
import { httpUrl } from '../core/render/url.js';

const MAX_HTML = 200_000;

export function firstHttpImage(candidates: (string | undefined)[], html: string | undefined, base: string | undefined): string | undefined {
  const fromFeed = candidates.find((u) => u?.startsWith('http://'));
  if (fromFeed || !html) return fromFeed;
  let found: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (found || name !== 'img') return;
        const url = httpUrl(attrs['data-src'] ?? attrs.src, base);
        if (url?.startsWith('http://')) found = url;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html.slice(0, MAX_HTML));
  return found;
}
