import { untrusted } from '../../src/core/reply-text.js';
import { collectStatus, formatDuration } from '../../src/core/manage/status.js';
import type { Command } from '../command.js';
import { capLines, isoTime } from './format.js';

export default {
  definition: { name: 'status', description: 'How Herald is doing: feeds, failures, queue, version', everyone: true },
  async run(ctx) {
    const s = await collectStatus(ctx.herald, ctx.channel);
    const here = [`${s.subscriptionsHere} subscription(s) in this channel`];
    if (s.pausedHere) here.push(`${s.pausedHere} paused`);
    if (s.blockedHere) here.push(`${s.blockedHere} blocked`);
    const lines = [
      `**Herald ${s.version}** · up ${formatDuration(s.uptimeMs)}`,
      `Feeds: ${s.feeds} · subscriptions: ${here.join(', ')} / ${s.subscriptionsTotal} in total`,
      `Failing feeds: ${s.failingTotal}${s.failingTotal ? ` (${s.failingHere.length} read here)` : ''}`,
      ...capLines(
        s.failingHere.map((f) => `⚠ ${untrusted(f.title ?? f.url)}: ${untrusted(f.lastError?.message ?? 'unknown error')} (${f.failures}x${f.failingPaused ? ', stopped; /feeds resume restarts it' : ''})`),
        10,
      ),
      `Last poll: ${isoTime(s.lastPollAt, 'not yet')} · overdue feeds: ${s.overdue}${s.overdue ? ` (up to ${formatDuration(s.maxLagMs)} late)` : ''} · queued messages: ${s.queueDepth}`,
    ];
    await ctx.reply({ text: lines.join('\n'), ephemeral: true });
  },
} satisfies Command;
