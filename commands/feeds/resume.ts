import { untrusted } from '../../src/domain/reply-text.js';
import type { SubscriptionRecord } from '../../src/domain/records.js';
import { FEED_OR_ALL_OPTION, type Command } from '../command.js';
import { names } from './format.js';

const HOW_TO_ALLOW: Partial<Record<string, string>> = {
  discord: 'Give Herald the View Channel, Send Messages and Embed Links permissions in this channel',
  slack: 'Invite Herald to this channel (/invite @Herald)',
};

export default {
  definition: {
    name: 'resume',
    description: 'Post a paused, blocked or stopped feed here again (or all feeds)',
    options: [FEED_OR_ALL_OPTION],
  },
  async run(ctx) {
    const r = await ctx.app.resume(ctx.channel, String(ctx.options.feed ?? ''));
    const title = (s: SubscriptionRecord) => ctx.app.titleOf(s);
    const lines: string[] = [];
    if (r.unpaused.length) lines.push(`Resumed ${names(r.unpaused.map(title))}. New items will be posted here again.`);
    if (r.restartedFeeds.length) lines.push(`Checking ${names(r.restartedFeeds.map((f) => untrusted(f.title ?? f.url)))} again now (Herald had stopped it after repeated failures).`);
    const check = r.sendCheck;
    if (check?.status === 'ok') {
      lines.push(`Herald can post in this channel again: a test message went through. ${names(r.unblocked.map(title))} will post again.`);
      if (r.stillBlocked) lines.push(`${r.stillBlocked} other subscription(s) here are still marked blocked; /feeds resume feed:all resumes them too.`);
    }
    if (check?.status === 'failed') lines.push(`Herald still cannot post here: ${check.reason}. ${HOW_TO_ALLOW[ctx.channel.platform] ?? 'Allow Herald to post in this channel'}, then run /feeds resume again.`);
    if (check?.status === 'pending') lines.push('A test message is queued but has not gone through yet; run /feeds list in a minute to see if the channel is still blocked.');
    if (r.alreadyActive.length) lines.push(`Not paused or blocked: ${names(r.alreadyActive.map(title))}. Nothing to resume.`);
    await ctx.reply(lines.join('\n'));
  },
} satisfies Command;
