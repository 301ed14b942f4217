// Neutral command definitions → Discord application command JSON.
import { ApplicationCommandOptionType, PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { isGroup, type OptionDefinition, type TopLevel } from '../../../commands/command.js';

const TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  attachment: ApplicationCommandOptionType.Attachment,
  role: ApplicationCommandOptionType.Role,
} as const;

function option(o: OptionDefinition) {
  return {
    name: o.name,
    description: o.description,
    type: TYPES[o.type],
    required: o.required ?? false,
    ...(o.choices ? { choices: o.choices.map((c) => ({ name: c, value: c })) } : {}),
    ...(o.min !== undefined ? { min_value: o.min } : {}),
    ...(o.max !== undefined ? { max_value: o.max } : {}),
  };
}

/** Discord wants required options before optional ones. */
const requiredFirst = (a: OptionDefinition, b: OptionDefinition) => Number(b.required ?? false) - Number(a.required ?? false);

export const MANAGE_CHANNELS = PermissionFlagsBits.ManageChannels;

export function toDiscordCommands(commands: TopLevel[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((c) => {
    if (!isGroup(c)) {
      return {
        name: c.definition.name,
        description: c.definition.description,
        // Server admins can widen this in Server Settings → Integrations.
        default_member_permissions: c.definition.everyone ? null : MANAGE_CHANNELS.toString(),
        dm_permission: false,
        options: [...(c.definition.options ?? [])].sort(requiredFirst).map(option),
      } as RESTPostAPIChatInputApplicationCommandsJSONBody;
    }
    // A group mixes open verbs (list, preview, export) with managing ones, so it is
    // visible to everyone and the adapter checks Manage Channels per subcommand.
    return {
      name: c.definition.name,
      description: c.definition.description,
      dm_permission: false,
      options: c.subcommands.map((s) => ({
        name: s.definition.name,
        description: s.definition.description,
        type: ApplicationCommandOptionType.Subcommand,
        options: [...(s.definition.options ?? [])].sort(requiredFirst).map(option),
      })),
    } as RESTPostAPIChatInputApplicationCommandsJSONBody;
  });
}
