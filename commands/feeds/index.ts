import type { CommandGroup } from '../command.js';
import exportFeeds from './export.js';
import filter from './filter.js';
import importFeeds from './import.js';
import list from './list.js';
import pause from './pause.js';
import preview from './preview.js';
import resume from './resume.js';
import status from './status.js';
import style from './style.js';
import template from './template.js';
import digest from './digest.js';
import identity from './identity.js';
import mention from './mention.js';
import publish from './publish.js';
import thread from './thread.js';

export default {
  definition: { name: 'feeds', description: "Manage this channel's feeds" },
  subcommands: [list, status, preview, pause, resume, filter, template, style, importFeeds, exportFeeds, thread, publish, identity, mention, digest],
} satisfies CommandGroup;
