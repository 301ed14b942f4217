// Choosing the picture for a message: the feed's own image candidates first
// (enclosure, media:content, media:thumbnail, itunes:image), else the first real <img>
// of the content. Only https: both platforms fetch it, and http would be mixed content.
import type { FeedItem } from '../../domain/types.js';
import { isPixelImage, isTrackerUrl } from './html/trackers.js';
import { tokenizeHtml } from './html/tokenizer.js';
import { httpsUrl } from './url.js';

const usable = (url: string | undefined): url is string => url !== undefined && !isTrackerUrl(url);

/** First <img> of the HTML that is neither a tracking pixel nor a known beacon. */
export function firstContentImage(html: string, base?: string): string | undefined {
  for (const t of tokenizeHtml(html)) {
    if (t.type !== 'open' || t.name !== 'img' || isPixelImage(t.attrs)) continue;
    // Lazy-loading themes keep the real address in data-src and a placeholder in src.
    const candidates = [t.attrs['data-src'], t.attrs.src].map((u) => httpsUrl(u, base));
    const url = candidates.find(usable);
    if (url) return url;
  }
  return undefined;
}

export function pickImage(item: FeedItem): string | undefined {
  // Relative candidates resolve against the item's link, which the parser made absolute.
  const fromFeed = item.images.map((u) => httpsUrl(u, item.link)).find(usable);
  if (fromFeed) return fromFeed;
  return item.contentHtml ? firstContentImage(item.contentHtml, item.link) : undefined;
}
