// Images that are not content: tracking pixels and feed-service beacons. Posting them
// would show a blank image and leak the reader's IP to the tracker.

/** Hosts that only serve beacons, or serve them under a known path prefix. */
const TRACKERS: { host: string; path?: string }[] = [
  { host: 'feeds.feedburner.com', path: '/~r/' },
  { host: 'feeds.feedburner.com', path: '/~ff/' },
  { host: 'feedproxy.google.com', path: '/~r/' },
  { host: 'feeds.feedblitz.com', path: '/~/i/' },
  { host: 'pixel.wp.com' },
  { host: 'stats.wordpress.com' },
  { host: 'www.google-analytics.com' },
  { host: 'ssl.google-analytics.com' },
  { host: 'pixel.quantserve.com' },
  { host: 'b.scorecardresearch.com' },
  { host: 'sb.scorecardresearch.com' },
  { host: 'ad.doubleclick.net' },
  { host: 'pubads.g.doubleclick.net' },
  { host: 'analytics.twitter.com' },
  { host: 'www.facebook.com', path: '/tr' },
  { host: 'medium.com', path: '/_/stat' },
  { host: 'api.follow.it' },
  { host: 'feeds.feedpress.me', path: '/link/' },
  { host: 'pixel.mathtag.com' },
];

export function isTrackerUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const host = u.hostname.toLowerCase();
  return TRACKERS.some((t) => host === t.host && (!t.path || u.pathname.startsWith(t.path)));
}

/** A pixel-sized or hidden <img>, judged from its attributes. */
export function isPixelImage(attrs: Record<string, string>): boolean {
  const tiny = (v: string | undefined) => v !== undefined && /^\s*[01](?:px)?\s*$/i.test(v);
  if (tiny(attrs.width) || tiny(attrs.height)) return true;
  const style = (attrs.style ?? '').toLowerCase().replace(/\s+/g, '');
  return /display:none|visibility:hidden|(?:^|;)(?:width|height):[01]px/.test(style);
}
