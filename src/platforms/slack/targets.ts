// Delivery settings on Slack: the feed's own name and icon (chat:write.customize), a
// user-group ping that only that group gets, and digests. Slack has no threads from a
// post or announcement channels; those verbs answer "not available on Slack".
import { httpsUrl, httpUrl } from '../../core/render/url.js';
import type { DeliveryTarget, DigestMessage, SendableMessage } from '../../domain/types.js';
import { escapeMrkdwn, SLACK_LIMITS, toSlackMessage, type SlackMessagePayload } from './render.js';

export type SlackPayload = SlackMessagePayload & { username?: string; icon_url?: string };

const GROUP_ID = /^[A-Z0-9]{2,30}$/;
const TITLE_MAX = 150;

const cut = (s: string, max: number) => ([...s].length <= max ? s : `${[...s].slice(0, max - 1).join('')}…`);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const slackUrl = (url: string) => escapeMrkdwn(url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E'));

/** A digest: a heading, then one linked title per line (newest last), in sections Slack accepts. */
export function toSlackDigest(d: DigestMessage): SlackMessagePayload {
  const total = d.lines.length + d.more;
  const heading = `*${escapeMrkdwn(cut(oneLine(d.feedTitle), 200))}*: ${total} new item${total === 1 ? '' : 's'}`;
  const lines = d.lines.map((l) => {
    const title = escapeMrkdwn(cut(oneLine(l.title) || '(untitled)', TITLE_MAX));
    const url = httpUrl(l.link);
    return url ? `• <${slackUrl(url)}|${title}>` : `• ${title}`;
  });
  if (d.more > 0) lines.push(`…and ${d.more} more`);
  const sections: string[] = [heading];
  for (const line of lines) {
    const last = sections.length - 1;
    if (sections[last]!.length + line.length + 1 <= SLACK_LIMITS.section) sections[last] += `\n${line}`;
    else sections.push(line);
  }
  return {
    text: [heading, ...lines].join('\n').slice(0, SLACK_LIMITS.text),
    blocks: sections.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })),
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** The payload for one message with the subscription's identity and mention applied. */
export function slackPayloadFor(message: SendableMessage, d: DeliveryTarget): SlackPayload {
  let payload: SlackPayload = message.kind === 'digest' ? toSlackDigest(message) : toSlackMessage(message);
  if (message.kind === 'notice') return payload; // Herald's own notices: as Herald, pinging nobody
  const group = d.mention && GROUP_ID.test(d.mention) ? d.mention : undefined;
  if (group) {
    // The only live mention in the message; everything from the feed stays escaped.
    const ping = `<!subteam^${group}>`;
    payload = { ...payload, text: `${ping} ${payload.text}`, ...(payload.blocks ? { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ping } }, ...payload.blocks] } : {}) };
  }
  if (d.identity) {
    const username = d.identity.name ?? (cut(oneLine(message.feedTitle), 80) || undefined);
    const icon = httpsUrl(d.identity.avatarUrl ?? message.feedIcon);
    payload = { ...payload, ...(username ? { username } : {}), ...(icon ? { icon_url: icon } : {}) };
  }
  return payload;
}
