// Every command Herald offers, and the one place that runs them.
import { UserError } from '../src/domain/errors.js';
import { isGroup, type Command, type CommandContext, type TopLevel } from './command.js';
import feeds from './feeds/index.js';
import subscribe from './subscribe.js';
import unsubscribe from './unsubscribe.js';

export const commands: TopLevel[] = [subscribe, unsubscribe, feeds];

export function findCommand(name: string, sub?: string): Command | undefined {
  const top = commands.find((c) => c.definition.name === name);
  if (!top) return undefined;
  if (!isGroup(top)) return top;
  return top.subcommands.find((s) => s.definition.name === sub);
}

/** Runs a command; errors become a reply that says what to do next. */
export async function runCommand(command: Command, ctx: CommandContext): Promise<void> {
  try {
    await command.run(ctx);
  } catch (err) {
    if (err instanceof UserError) {
      await ctx.reply({ text: err.message, ephemeral: true });
      return;
    }
    ctx.app.log.error({ err, command: command.definition.name }, 'command failed');
    await ctx.reply({ text: 'Something went wrong on Herald’s side; the error is in its log. Please try again.', ephemeral: true });
  }
}

export * from './command.js';
