// /feeds thread and /feeds publish: verbs that switch one delivery setting of a subscription
// on or off. One place for the order of checks: the platform's "not here" first (before the
// feed is even looked up), then the subscription, then whether this channel can take it.
import type { Toggle } from '../../src/application/index.js';
import { UserError } from '../../src/domain/errors.js';
import { FEED_OPTION, type ChannelPlace, type Command, type CommandDefinition } from '../command.js';

export interface ToggleVerb {
  name: Toggle & keyof ChannelPlace['unavailable'];
  description: string;
  /** The required choice: `on` turns the setting on, `off` off. */
  option: { name: string; description: string; on: string; off: string };
  /** Why the setting cannot be turned on in this channel, or undefined. */
  refuseOn(place: ChannelPlace | undefined): string | undefined;
  /** The reply; `feed` names the subscription as "Title (`id`)". */
  reply(on: boolean, feed: string): string;
}

export function toggleVerb(v: ToggleVerb): Command {
  const definition: CommandDefinition = {
    name: v.name,
    description: v.description,
    options: [FEED_OPTION, { name: v.option.name, description: v.option.description, type: 'string', required: true, choices: [v.option.on, v.option.off] }],
  };
  return {
    definition,
    async run(ctx) {
      const why = ctx.place?.unavailable[v.name];
      if (why) throw new UserError(`/feeds ${v.name} is ${why}.`);
      const on = ctx.options[v.option.name] === v.option.on;
      const { subscription: sub, title } = await ctx.app.toggle(ctx.channel, String(ctx.options.feed ?? ''), v.name, on, v.refuseOn(ctx.place));
      await ctx.reply(v.reply(on, `${title} (\`${sub.id}\`)`));
    },
  };
}
