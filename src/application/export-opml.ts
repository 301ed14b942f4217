// /feeds export: a channel's subscriptions as OPML, for backups or another reader.
import type { ChannelRef } from '../domain/types.js';
import { buildOpml, type OpmlOutline } from '../core/opml/build.js';
import { encodeDelivery } from '../core/opml/delivery-attr.js';
import type { AppDeps } from './deps.js';

export interface ChannelExport {
  fileName: string;
  content: string;
  count: number;
}

export function exportChannel(d: Pick<AppDeps, 'store' | 'clock'>, channel: ChannelRef): ChannelExport {
  const now = d.clock.now();
  const outlines: OpmlOutline[] = d.store.subscriptions.listByChannel(channel).map((s) => {
    const feed = d.store.feeds.get(s.feedId);
    const xmlUrl = feed?.url ?? s.feedUrl;
    const heraldDelivery = encodeDelivery(s.delivery, channel);
    return { title: feed?.title ?? xmlUrl, xmlUrl, ...(feed?.link ? { htmlUrl: feed.link } : {}), ...(heraldDelivery ? { heraldDelivery } : {}), ...(s.style ? { style: s.style } : {}) };
  });
  const safeId = channel.channelId.replace(/[^A-Za-z0-9_-]/g, '');
  return {
    fileName: `herald-${safeId || 'channel'}.opml`,
    content: buildOpml({ title: `Herald feeds for ${channel.platform} channel ${channel.channelId}`, outlines, createdAt: now }),
    count: outlines.length,
  };
}
