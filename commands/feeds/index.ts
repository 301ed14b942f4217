import type { CommandGroup } from '../command.js';
import list from './list.js';

export default {
  definition: { name: 'feeds', description: "Manage this channel's feeds" },
  subcommands: [list],
} satisfies CommandGroup;
