// Sends slash commands the way Slack does: a signed form POST to /slack/events (HTTP mode)
// or a slash_commands envelope (Socket Mode); then waits for Herald's respond().
import { createHmac } from 'node:crypto';
import { waitFor } from '../http-util.js';
import type { FakeSlack } from './index.js';
import { TEAM_ID, type ResponseCall } from './state.js';

export interface SlashOptions {
  command: string;
  text?: string;
  channelId?: string;
  userId?: string;
}

export interface SlashOutcome {
  /** HTTP status of the POST (HTTP mode) or 200 once the envelope was acked (Socket Mode). */
  status: number;
  ackBody: string;
  ackMs: number;
  responseId: string;
  /** The first respond() call; undefined when none is expected (e.g. a rejected request). */
  reply?: ResponseCall;
}

export function slashPayload(slack: FakeSlack, o: SlashOptions) {
  const { id, url } = slack.responseUrl();
  const channelId = o.channelId ?? 'C0PUBLIC01';
  const fields = {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'herald-test',
    channel_id: channelId,
    channel_name: slack.channels.get(channelId)?.name ?? 'unknown',
    user_id: o.userId ?? 'U0MEMBER1',
    user_name: 'someone',
    command: o.command,
    text: o.text ?? '',
    api_app_id: 'A0HERALD1',
    is_enterprise_install: 'false',
    response_url: url,
    trigger_id: `${Date.now()}.trigger`,
  };
  return { id, fields };
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface HttpTarget {
  /** http://127.0.0.1:PORT/slack/events */
  url: string;
  signingSecret: string;
}

export async function slashOverHttp(
  slack: FakeSlack,
  target: HttpTarget,
  o: SlashOptions,
  tamper: { secret?: string; timestamp?: number; expectReply?: boolean } = {},
): Promise<SlashOutcome> {
  const { id, fields } = slashPayload(slack, o);
  const body = new URLSearchParams(fields).toString();
  const ts = tamper.timestamp ?? Math.floor(Date.now() / 1000);
  const started = Date.now();
  const res = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(tamper.secret ?? target.signingSecret, ts, body) },
    body,
  });
  const ackBody = await res.text();
  const ackMs = Date.now() - started;
  const outcome: SlashOutcome = { status: res.status, ackBody, ackMs, responseId: id };
  if (tamper.expectReply === false || res.status !== 200) return outcome;
  return { ...outcome, reply: await slack.waitForResponse(id) };
}

export async function slashOverSocket(slack: FakeSlack, o: SlashOptions): Promise<SlashOutcome> {
  const { id, fields } = slashPayload(slack, o);
  const started = Date.now();
  const envelopeId = slack.socket.slashCommand(fields);
  const ack = await waitFor(() => slack.socket.acks.get(envelopeId), 5000, `ack of ${envelopeId}`);
  const outcome: SlashOutcome = { status: 200, ackBody: JSON.stringify(ack.payload ?? ''), ackMs: ack.at - started, responseId: id };
  return { ...outcome, reply: await slack.waitForResponse(id) };
}
