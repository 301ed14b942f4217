// Neutral command replies → respond() on the command's response_url; files via files.uploadV2.
import type { RespondArguments, webApi } from '@slack/bolt';
import type { Reply } from '../../../commands/index.js';
import type { Logger } from '../../logger.js';
import { replySegments } from '../../domain/reply-text.js';
import { escapeMrkdwn } from './render.js';

/** Slack cuts message text at 40,000 characters; stay clear of it. */
const MAX_TEXT = 39_000;

/**
 * Reply text is Herald's light markdown with feed values in untrusted spans: the spans (and
 * anything backslash-escaped, as in a template sample) are only escaped; **bold** and
 * [text](url) are mapped in Herald's own text alone. Held parts wait as placeholders that
 * contain none of the characters the mapping looks for.
 */
export function replyMrkdwn(text: string): string {
  const held: string[] = [];
  const hold = (s: string) => `\uE000${held.push(escapeMrkdwn(s)) - 1}\uE001`;
  let own = '';
  for (const seg of replySegments(text)) {
    own += seg.untrusted ? hold(seg.text) : seg.text.replace(/\\([!-/:-@[-`{-~])/g, (_m, c: string) => hold(c));
  }
  return escapeMrkdwn(own)
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, t: string, u: string) => `<${u.replace(/\|/g, '%7C')}|${t}>`)
    .replace(/\*\*([^*\n]+)\*\*/g, '*$1*')
    .replace(/\uE000(\d+)\uE001/g, (_m, n: string) => held[Number(n)] ?? '');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 40)}\n… (${text.length - max + 40} more characters cut)`;
}

/** The file inline, as a code block, for when it cannot be (or must not be) uploaded. */
export function snippet(text: string, file: { name: string; content: string }): string {
  const head = `${replyMrkdwn(text)}\n${escapeMrkdwn(file.name)}:\n`;
  // ``` inside the content would end the block early.
  const body = escapeMrkdwn(file.content.replace(/```/g, '`\u200b``'));
  return `${head}\`\`\`\n${clip(body, MAX_TEXT - head.length - 10)}\n\`\`\``;
}

export interface SlackReplyDeps {
  /** bolt's respond(): POSTs to the command's response_url. */
  respond: (message: RespondArguments) => Promise<unknown>;
  client: webApi.WebClient;
  channelId: string;
  logger: Logger;
}

export function createSlackReply(d: SlackReplyDeps): (reply: Reply | string) => Promise<void> {
  return async (r) => {
    const msg = typeof r === 'string' ? { text: r } : r;
    const response_type = msg.ephemeral ? 'ephemeral' : 'in_channel';
    let text = clip(replyMrkdwn(msg.text), MAX_TEXT);
    if (msg.file) {
      // An upload is visible to the whole channel, so a private reply keeps its file inline.
      const uploaded = !msg.ephemeral && (await upload(d, msg.file));
      if (!uploaded) text = snippet(msg.text, msg.file);
    }
    await d.respond({ response_type, text });
  };
}

async function upload(d: SlackReplyDeps, file: { name: string; content: string }): Promise<boolean> {
  try {
    await d.client.files.uploadV2({ channel_id: d.channelId, filename: file.name, title: file.name, content: file.content });
    return true;
  } catch (err) {
    d.logger.info({ err, channel: d.channelId }, 'file upload failed; replying with the content inline');
    return false;
  }
}
