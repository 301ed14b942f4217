// /feeds import: every feed of an OPML file becomes a subscription of one channel. The file
// is read by the core (src/core/opml); the caps, the check budget and the settings a Herald
// export carries are applied here.
import type { SubscriptionRecord } from '../domain/records.js';
import { UserError } from '../domain/errors.js';
import { CARD_STYLES, type ChannelRef } from '../domain/types.js';
import { Gate } from '../core/limits/gate.js';
import { decodeDelivery } from '../core/opml/delivery-attr.js';
import { fetchOpml } from '../core/opml/fetch-opml.js';
import { parseOpml, type OpmlEntry } from '../core/opml/parse.js';
import { normalizeFeedUrl } from '../core/probe.js';
import type { TenantLimitSettings } from '../core/tenant/limits.js';
import type { AppDeps } from './deps.js';
import { storeDelivery } from './settings-delivery.js';
import { storeStyle } from './settings-look.js';

/** Four at a time: quick for a typical list, gentle on the fetcher's per-host limits. */
export const IMPORT_CONCURRENCY = 4;
/** One command probes every feed; a bound keeps it inside Discord's 15-minute reply window. */
export const IMPORT_MAX_FEEDS = 200;

export interface ImportRow {
  entry: OpmlEntry;
  subscription?: SubscriptionRecord;
  reason?: string;
}

export interface ImportOutcome {
  added: ImportRow[];
  already: ImportRow[];
  failed: ImportRow[];
  /** Entries past IMPORT_MAX_FEEDS, not tried. */
  skipped: number;
  /** Entries not tried because the channel or workspace reached its subscription cap. */
  overCap: number;
  /** Entries not tried because the workspace used up its feed checks for this minute. */
  overRate: number;
}

export interface ImportRequest {
  channel: ChannelRef;
  userId: string;
  entries: OpmlEntry[];
}

type ImportDeps = Pick<AppDeps, 'subscriptions' | 'store' | 'logger' | 'clock'>;

export interface ImportSource {
  channel: ChannelRef;
  userId: string;
  /** An attached file (its download address and declared size), or the address of one. */
  file?: { url: string; size: number };
  url?: string;
}

export interface ImportReport {
  /** Feeds the file lists, and its title. */
  listed: number;
  title?: string;
  outcome: ImportOutcome;
  /** The caps and budget that left entries out, for the reply. */
  limits: TenantLimitSettings;
}

/** /feeds import: download the file, read it, subscribe the channel to what it lists. */
export async function importFrom(d: ImportDeps & Pick<AppDeps, 'fetcher'>, src: ImportSource): Promise<ImportReport> {
  const url = src.url?.trim() ?? '';
  if (!src.file && !url) throw new UserError('Attach an OPML file (file:) or give its address (url:). Most feed readers can export one.');
  // Downloading the file is a fetch like any other the workspace asks for.
  await d.subscriptions.limits.takeCheck(src.channel);
  const text = src.file ? await fetchOpml(d.fetcher, src.file.url, src.file.size) : await fetchOpml(d.fetcher, url);
  const doc = parseOpml(text);
  if (!doc.entries.length) throw new UserError('That OPML file lists no feeds (no outline has an xmlUrl). Export the feed list again from your reader.');
  const outcome = await importOpml(d, { channel: src.channel, userId: src.userId, entries: doc.entries });
  return { listed: doc.entries.length, ...(doc.title ? { title: doc.title } : {}), outcome, limits: d.subscriptions.limits.settings };
}

export async function importOpml(d: ImportDeps, req: ImportRequest): Promise<ImportOutcome> {
  const out: ImportOutcome = { added: [], already: [], failed: [], skipped: 0, overCap: 0, overRate: 0 };
  const unique = new Map<string, OpmlEntry>();
  for (const entry of req.entries) {
    try {
      const key = normalizeFeedUrl(entry.xmlUrl);
      if (!unique.has(key)) unique.set(key, entry);
    } catch (err) {
      out.failed.push({ entry, reason: (err as Error).message });
    }
  }
  // Feeds already here need no fetch; the rest are tried only as far as the caps and the
  // workspace's feed-check budget go, so one import cannot fetch more than both allow.
  const todo: OpmlEntry[] = [];
  for (const entry of unique.values()) {
    const sub = d.subscriptions.existing(req.channel, entry.xmlUrl);
    if (sub) out.already.push({ entry, subscription: sub });
    else todo.push(entry);
  }
  out.skipped = Math.max(0, todo.length - IMPORT_MAX_FEEDS);
  const wanted = todo.slice(0, IMPORT_MAX_FEEDS);
  const room = d.subscriptions.limits.room(req.channel);
  const fitting = wanted.slice(0, room);
  out.overCap = wanted.length - fitting.length;
  const allowed = await d.subscriptions.limits.reserveChecks(req.channel, fitting.length);
  out.overRate = fitting.length - allowed;
  const limit = new Gate(IMPORT_CONCURRENCY);
  await Promise.all(
    fitting.slice(0, allowed).map((entry) =>
      limit.run(async () => {
        try {
          const r = await d.subscriptions.subscribe({ channel: req.channel, url: entry.xmlUrl, userId: req.userId, prepaid: true });
          // A Herald export carries its delivery settings and style; a new subscription takes them over.
          const delivery = r.alreadySubscribed ? undefined : decodeDelivery(entry.heraldDelivery, req.channel, d.clock.now());
          let subscription = delivery ? await storeDelivery(d, r.subscription, (d) => Object.assign(d, delivery)) : r.subscription;
          const style = CARD_STYLES.find((s) => s === entry.style?.toLowerCase());
          if (style && !r.alreadySubscribed) subscription = await storeStyle(d, subscription, style);
          (r.alreadySubscribed ? out.already : out.added).push({ entry, subscription });
        } catch (err) {
          if (!(err instanceof UserError)) d.logger.warn({ err, url: entry.xmlUrl }, 'OPML import entry failed');
          out.failed.push({ entry, reason: err instanceof UserError ? err.message : 'unexpected error (see Herald’s log)' });
        }
      }),
    ),
  );
  await dropRaceDuplicates(d, out);
  return out;
}

/**
 * Two entries can lead to one feed (http vs https, a redirect); probed in parallel,
 * both may subscribe before either sees the other. Keep one subscription per feed.
 */
async function dropRaceDuplicates(d: ImportDeps, out: ImportOutcome): Promise<void> {
  const keeper = new Map<string, SubscriptionRecord>();
  for (const r of out.already) if (r.subscription) keeper.set(r.subscription.feedId, r.subscription);
  const added: ImportRow[] = [];
  for (const r of out.added) {
    const sub = r.subscription;
    const keep = sub && keeper.get(sub.feedId);
    if (!sub || !keep) {
      if (sub) keeper.set(sub.feedId, sub);
      added.push(r);
      continue;
    }
    if (keep.id !== sub.id) await d.subscriptions.remove(sub.id);
    out.already.push({ entry: r.entry, subscription: keep });
  }
  out.added = added;
}
