// Slack slash commands carry one line of text; this turns it into the neutral options of
// a command definition: positionals fill required options first, `name:value` the rest.
import type { Attachment, CommandDefinition, OptionDefinition } from '../../../commands/index.js';

export interface ParsedOptions {
  options: Record<string, string | number | undefined>;
  attachments: Record<string, Attachment | undefined>;
}

/** A message for the person who typed the command. */
export class CommandTextError extends Error {}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

/** Splits on whitespace; quotes group words, `<…>` (Slack links) never splits. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const close = QUOTES[ch];
    if (close && (cur === '' || cur.endsWith(':'))) {
      const end = text.indexOf(close, i + 1);
      if (end > i) {
        cur += text.slice(i + 1, end);
        started = true;
        i = end;
        continue;
      }
    }
    if (ch === '<') {
      const end = text.indexOf('>', i + 1);
      if (end > i) {
        cur += text.slice(i, end + 1);
        started = true;
        i = end;
        continue;
      }
    }
    if (/\s/.test(ch)) {
      if (started) tokens.push(cur);
      cur = '';
      started = false;
      continue;
    }
    cur += ch;
    started = true;
  }
  if (started) tokens.push(cur);
  return tokens;
}

/** Slack escapes &, <, > in command text and may wrap links as <url> or <url|label>. */
export function unwrapSlackValue(value: string): string {
  const link = /^<((?:https?|mailto):[^|>]*)(?:\|[^>]*)?>$/i.exec(value.trim());
  const v = link ? link[1]! : value;
  return v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * The options a bare word may fill: the required ones in order, or, when none is required
 * (`/feeds import <url>`), the first one that takes text. Everything else needs name:value,
 * so a stray word is an error rather than a guess.
 */
export function positionalSlots(defs: OptionDefinition[]): OptionDefinition[] {
  const typed = defs.filter((d) => d.type !== 'attachment');
  const required = typed.filter((d) => d.required);
  return required.length ? [...required, ...typed.filter((d) => !d.required && d.positional)] : typed.slice(0, 1);
}

/** `<!subteam^S123>` or `<!subteam^S123|@team>` (how Slack sends a user group) → S123. */
export function userGroupId(raw: string): string | undefined {
  const text = raw.trim().slice(0, 200);
  if (!text.startsWith('<!subteam^') || !text.endsWith('>')) return undefined;
  const id = text.slice('<!subteam^'.length, -1).split('|')[0] ?? '';
  return /^[A-Z0-9]{2,30}$/.test(id) ? id : undefined;
}

function coerce(def: OptionDefinition, raw: string): string | number {
  if (def.type === 'role') {
    const id = userGroupId(raw);
    if (!id) throw new CommandTextError(`${def.name} must be a user group mention such as @team (typed so Slack turns it into a mention), not “${raw.slice(0, 60)}”.`);
    return id;
  }
  if (def.type === 'integer') {
    if (!/^-?\d+$/.test(raw)) throw new CommandTextError(`${def.name} must be a whole number, not “${raw}”.`);
    const n = Number(raw);
    if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
      throw new CommandTextError(`${def.name} must be from ${def.min ?? '…'} to ${def.max ?? '…'}.`);
    }
    return n;
  }
  if (def.choices) {
    const hit = def.choices.find((c) => c.toLowerCase() === raw.toLowerCase());
    if (!hit) throw new CommandTextError(`${def.name} must be one of: ${def.choices.join(', ')}.`);
    return hit;
  }
  return raw;
}

function fileName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() || 'file');
  } catch {
    return 'file';
  }
}

export function parseCommandText(definition: CommandDefinition, tokens: string[]): ParsedOptions {
  const defs = definition.options ?? [];
  const byName = new Map(defs.map((d) => [d.name.toLowerCase(), d]));
  const options: ParsedOptions['options'] = {};
  const attachments: ParsedOptions['attachments'] = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    const colon = token.indexOf(':');
    // `https://…` has a colon too: only a known option name makes it a name:value pair.
    const def = colon > 0 ? byName.get(token.slice(0, colon).toLowerCase()) : undefined;
    if (!def) {
      positionals.push(unwrapSlackValue(token));
      continue;
    }
    const value = unwrapSlackValue(token.slice(colon + 1));
    if (def.type === 'attachment') {
      // Slash commands cannot carry files; a link to one is the Slack way to pass it.
      attachments[def.name] = { name: fileName(value), url: value, size: 0 };
    } else options[def.name] = coerce(def, value);
  }
  const free = positionalSlots(defs).filter((d) => options[d.name] === undefined);
  for (const value of positionals) {
    const def = free.shift();
    if (!def) throw new CommandTextError(`I did not understand “${value}”. Put quotes around values with spaces, like include:"two words".`);
    options[def.name] = coerce(def, value);
  }
  const missing = defs.filter((d) => d.required && options[d.name] === undefined && attachments[d.name] === undefined);
  if (missing.length) throw new CommandTextError(`Missing ${missing.map((d) => d.name).join(', ')}.`);
  return { options, attachments };
}
