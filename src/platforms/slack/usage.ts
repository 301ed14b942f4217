// Usage lines derived from the neutral definitions, so Slack help never drifts from them.
import { commands, isGroup, type CommandDefinition, type OptionDefinition } from '../../../commands/index.js';
import { positionalSlots } from './command-text.js';

function optionHint(o: OptionDefinition, bare: boolean): string {
  const value = o.type === 'integer' ? 'n' : o.type === 'attachment' ? 'file-url' : o.name;
  const hint = bare ? `<${o.name}>` : `${o.name}:<${value}>`;
  return o.required ? hint : `[${hint}]`;
}

/** The first positional slot is shown bare; the rest as name:value (both forms work for slots). */
export function usageLine(path: string, def: CommandDefinition, prefix = ''): string {
  const opts = def.options ?? [];
  const bare = positionalSlots(opts)[0];
  const ordered = [...(bare ? [bare] : []), ...opts.filter((o) => o !== bare && o.required), ...opts.filter((o) => o !== bare && !o.required)];
  return [`/${prefix}${path}`, ...ordered.map((o) => optionHint(o, o === bare))].join(' ');
}

/** `/subscribe <feed> [backfill:<n>]`, or every subcommand of a group; names carry SLACK_COMMAND_PREFIX. */
export function usageFor(name: string, prefix = ''): string {
  const top = commands.find((c) => c.definition.name === name);
  if (!top) return `Commands: ${commands.map((c) => `/${prefix}${c.definition.name}`).join(', ')}`;
  if (!isGroup(top)) return `Usage: ${usageLine(name, top.definition, prefix)}`;
  return ['Usage:', ...top.subcommands.map((s) => `• ${usageLine(`${name} ${s.definition.name}`, s.definition, prefix)} – ${s.definition.description}`)].join('\n');
}
