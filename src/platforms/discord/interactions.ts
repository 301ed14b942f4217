// Discord interactions → neutral CommandContext. Defers when a command runs past 2 s,
// since Discord drops an interaction that gets no answer within 3 s.
import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { findCommand, runCommand, type Attachment, type ChannelPlace, type CommandContext, type Reply } from '../../../commands/index.js';
import { kindOf } from './channels.js';
import type { UseCases } from '../../application/index.js';
import { replySegments } from '../../domain/reply-text.js';
import { escapeMarkdown } from '../../core/render/markdown.js';
import { sanitizeDiscordText } from './render.js';
import { MANAGE_CHANNELS } from './command-json.js';

const DEFER_AFTER_MS = 2000;
const MAX_CONTENT = 2000;

/** Herald's own markdown stays; feed values (untrusted spans) are escaped as in posts. */
export function discordReplyText(text: string): string {
  return replySegments(text)
    .map((seg) => (seg.untrusted ? escapeMarkdown(seg.text) : seg.text))
    .join('');
}

function clip(text: string): string {
  return text.length <= MAX_CONTENT ? text : `${text.slice(0, MAX_CONTENT - 1)}…`;
}

function optionsOf(i: ChatInputCommandInteraction) {
  const options: Record<string, string | number | undefined> = {};
  const attachments: Record<string, Attachment | undefined> = {};
  const data = i.options.data;
  const leaf = data[0]?.type === 1 ? (data[0].options ?? []) : data;
  for (const o of leaf) {
    if (o.attachment) attachments[o.name] = { name: o.attachment.name, url: o.attachment.url, size: o.attachment.size };
    else if (typeof o.value === 'string' || typeof o.value === 'number') options[o.name] = o.value;
  }
  return { options, attachments };
}

export const NO_WEBHOOKS_REPLY =
  'Herald lacks the Manage Webhooks permission in this channel, so it cannot post under another name and keeps posting as itself. Give Herald Manage Webhooks here, then run /feeds identity again.';

/** The channel as the interaction describes it (type, and Herald's own permissions there). */
function placeOf(i: ChatInputCommandInteraction): ChannelPlace {
  const canWebhook = i.appPermissions?.has(PermissionFlagsBits.ManageWebhooks) ?? true;
  return { kind: kindOf(i.channel?.type), unavailable: {}, ...(canWebhook ? {} : { identityBlocked: NO_WEBHOOKS_REPLY }) };
}

export async function handleInteraction(i: ChatInputCommandInteraction, app: UseCases): Promise<void> {
  const sub = i.options.getSubcommand(false) ?? undefined;
  const command = findCommand(i.commandName, sub);
  if (!command) {
    await i.reply({ content: 'Unknown command. Try /feeds list.', flags: MessageFlags.Ephemeral });
    return;
  }
  if (!command.definition.everyone && !i.memberPermissions?.has(MANAGE_CHANNELS)) {
    await i.reply({ content: 'You need the Manage Channels permission to change this channel’s feeds.', flags: MessageFlags.Ephemeral });
    return;
  }
  let deferred: Promise<unknown> | undefined;
  const timer = setTimeout(() => {
    deferred = i.deferReply().catch(() => undefined);
  }, DEFER_AFTER_MS);

  const reply = async (r: Reply | string) => {
    clearTimeout(timer);
    const msg = typeof r === 'string' ? { text: r } : r;
    const payload = {
      content: clip(sanitizeDiscordText(discordReplyText(msg.text))),
      allowedMentions: { parse: [] },
      ...(msg.file ? { files: [{ attachment: Buffer.from(msg.file.content, 'utf8'), name: msg.file.name }] } : {}),
    };
    if (deferred) {
      await deferred;
      if (msg.ephemeral) {
        // A deferred reply is public; say private things privately instead.
        await i.deleteReply().catch(() => undefined);
        await i.followUp({ ...payload, flags: MessageFlags.Ephemeral });
      } else await i.editReply(payload);
    } else if (i.replied) await i.followUp({ ...payload, ...(msg.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
    else await i.reply({ ...payload, ...(msg.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  };

  const { options, attachments } = optionsOf(i);
  const ctx: CommandContext = {
    app,
    channel: { platform: 'discord', workspaceId: i.guildId ?? 'dm', channelId: i.channelId },
    userId: i.user.id,
    options,
    attachments,
    place: placeOf(i),
    reply,
  };
  try {
    await runCommand(command, ctx);
  } finally {
    clearTimeout(timer);
  }
}
