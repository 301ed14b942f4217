// Usage lines derived from the neutral definitions, so Slack help never drifts from them.
import { commands, isGroup, type CommandDefinition, type OptionDefinition } from '../../../commands/index.js';

function optionHint(o: OptionDefinition, first: boolean): string {
  const value = o.type === 'integer' ? 'n' : o.type === 'attachment' ? 'file-url' : o.name;
  // The first required option may be typed bare; the rest need name:value.
  if (o.required) return first ? `<${value}>` : `${o.name}:<${value}>`;
  return `[${o.name}:<${value}>]`;
}

export function usageLine(path: string, def: CommandDefinition): string {
  const opts = def.options ?? [];
  const required = opts.filter((o) => o.required);
  const ordered = [...required, ...opts.filter((o) => !o.required)];
  const hints = ordered.map((o, i) => optionHint(o, i === 0 && o.required === true && o.type !== 'attachment'));
  return [`/${path}`, ...hints].join(' ');
}

/** `/subscribe <feed> [backfill:<n>]`, or every subcommand of a group. */
export function usageFor(name: string): string {
  const top = commands.find((c) => c.definition.name === name);
  if (!top) return `Commands: ${commands.map((c) => `/${c.definition.name}`).join(', ')}`;
  if (!isGroup(top)) return `Usage: ${usageLine(name, top.definition)}`;
  return ['Usage:', ...top.subcommands.map((s) => `• ${usageLine(`${name} ${s.definition.name}`, s.definition)} – ${s.definition.description}`)].join('\n');
}
