import { exportChannel } from '../../src/core/opml/export.js';
import type { Command } from '../command.js';

export default {
  definition: { name: 'export', description: "Download this channel's feeds as an OPML file", everyone: true },
  async run(ctx) {
    const out = exportChannel(ctx.herald, ctx.channel, ctx.herald.clock.now());
    if (!out.count) {
      await ctx.reply({ text: 'This channel has no subscriptions to export. Add one with /subscribe feed:<url>.', ephemeral: true });
      return;
    }
    await ctx.reply({
      text: `${out.count} feed(s) as OPML. Import them elsewhere with /feeds import, or into any feed reader.`,
      ephemeral: true,
      file: { name: out.fileName, content: out.content },
    });
  },
} satisfies Command;
