// Slack slash commands → the neutral commands. ack() goes out first and empty, so Slack
// never waits on a feed fetch; the answer follows through respond() (response_url).
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { commands, findCommand, isGroup, runCommand, type ChannelPlace, type CommandContext, type Reply } from '../../../commands/index.js';
import type { UseCases } from '../../application/index.js';
import type { Logger } from '../../logger.js';
import type { AdminChecker } from './admins.js';
import { CommandTextError, parseCommandText, tokenize } from './command-text.js';
import { ensureCanPost } from './membership.js';
import { createSlackReply } from './reply.js';
import { usageFor } from './usage.js';

/** Commands that start posting into the channel: check Herald can post there first. */
const POSTS_HERE = new Set(['subscribe', 'feeds import']);

const NOT_ON_SLACK = 'not available on Slack';

/** Slack has no thread-from-message step and no announcement channels; identity needs chat:write.customize. */
function slackPlace(scopes: ReadonlySet<string> | undefined): ChannelPlace {
  const customize = !scopes || scopes.has('chat:write.customize');
  return {
    kind: 'text',
    unavailable: { thread: NOT_ON_SLACK, publish: NOT_ON_SLACK },
    ...(customize ? {} : { identityBlocked: 'Herald’s Slack token lacks the chat:write.customize scope, so it cannot post under another name and keeps posting as itself. Add the scope (see config/slack-manifest.yml), reinstall the app, then run /feeds identity again.' }),
  };
}

export interface SlashCommandDeps {
  app: App;
  useCases: UseCases;
  logger: Logger;
  /** Set when SLACK_ADMINS_ONLY is on. */
  admins?: AdminChecker;
  /** The bot token's scopes, once auth.test has told us. */
  scopes(): ReadonlySet<string> | undefined;
  /** SLACK_COMMAND_PREFIX ('' for none): /herald-feeds is the feeds command. */
  prefix: string;
}

/**
 * The neutral command name of a Slack command. With a prefix set, the renamed commands are
 * matched; the plain names still work, since Slack only sends the commands the manifest has.
 */
export function commandName(command: string, prefix: string): string {
  const name = command.replace(/^\//, '').toLowerCase();
  return prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

export function registerSlashCommands(d: SlashCommandDeps): void {
  d.app.command(/^\/.+/, async ({ command, ack, respond }) => {
    await ack();
    try {
      await handle(d, command, respond);
    } catch (err) {
      d.logger.error({ err, command: command.command }, 'Slack command failed');
      await respond({ response_type: 'ephemeral', text: 'Something went wrong on Herald’s side; the error is in its log. Please try again.' }).catch(() => undefined);
    }
  });
}

async function handle(d: SlashCommandDeps, command: SlashCommand, respond: RespondFn): Promise<void> {
  const client = d.app.client;
  const reply = createSlackReply({ respond, client, channelId: command.channel_id, logger: d.logger });
  const say = (text: string) => reply({ text, ephemeral: true });
  const name = commandName(command.command, d.prefix);
  const usage = (n: string) => usageFor(n, d.prefix);
  const tokens = tokenize(command.text ?? '');
  const top = commands.find((c) => c.definition.name === name);
  const sub = top && isGroup(top) ? tokens.shift()?.toLowerCase() : undefined;
  const found = findCommand(name, sub);
  if (!found || tokens[0]?.toLowerCase() === 'help') return say(usage(name));

  if (d.admins && !found.definition.everyone) {
    const check = await d.admins.check(command.user_id);
    if ('error' in check) return say(`Herald could not check your Slack role (${check.error}), so it changed nothing. Please try again.`);
    if (!check.admin) return say('In this workspace only Slack admins and owners can change feeds. Ask one of them, or use /feeds list to see what is subscribed.');
  }

  let parsed;
  try {
    parsed = parseCommandText(found.definition, tokens);
  } catch (err) {
    if (!(err instanceof CommandTextError)) throw err;
    return say(`${err.message}\n${usage(name)}`);
  }

  let note = '';
  if (POSTS_HERE.has(sub ? `${name} ${sub}` : name)) {
    const can = await ensureCanPost(client, command.channel_id, d.scopes());
    if (!can.ok) return say(can.message);
    if (can.joined) note = 'Herald joined this channel so it can post here.\n';
  }

  const ctx: CommandContext = {
    app: d.useCases,
    channel: { platform: 'slack', workspaceId: command.team_id, channelId: command.channel_id },
    userId: command.user_id,
    options: parsed.options,
    attachments: parsed.attachments,
    place: slackPlace(d.scopes()),
    reply: (r: Reply | string) => {
      const msg = typeof r === 'string' ? { text: r } : r;
      const text = note + msg.text;
      note = '';
      return reply({ ...msg, text });
    },
  };
  await runCommand(found, ctx);
}
