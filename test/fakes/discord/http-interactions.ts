// Discord's side of HTTP interactions: a signing key pair for the fake application, and
// signed POSTs of interactions to Herald's endpoint, as Discord sends them.
import { generateKeyPairSync, sign } from 'node:crypto';
import type { FakeDiscord, InteractionReply } from './index.js';
import { APP_ID } from './gateway.js';
import { interactionPayload, type InteractOptions } from './interaction.js';
import { waitFor } from '../http-util.js';
import { firstChannel } from './shard-guilds.js';

const keys = generateKeyPairSync('ed25519');

/** DISCORD_PUBLIC_KEY for Herald: the raw 32-byte key in hex (the end of the SPKI form). */
export const FAKE_PUBLIC_KEY = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

/** A key Discord never had: requests signed with it must get 401. */
const wrongKeys = generateKeyPairSync('ed25519');

export async function postSigned(endpoint: string, body: string, opts: { wrongKey?: boolean; timestamp?: string } = {}): Promise<Response> {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), (opts.wrongKey ? wrongKeys : keys).privateKey).toString('hex');
  return fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }, body });
}

/**
 * Sends a slash command over HTTP and resolves with Herald's final reply: the HTTP answer
 * itself when it carries a message (type 4), else the edit that follows a defer (type 5).
 */
export async function interactOverHttp(fake: FakeDiscord, endpoint: string, opts: InteractOptions, timeoutMs = 15_000): Promise<InteractionReply & { answerType: number }> {
  const guild = fake.guilds[0]!;
  const payload = interactionPayload({ guildId: guild.id, channelId: firstChannel(guild), ...opts }, fake.snowflake(), APP_ID);
  const res = await postSigned(endpoint, JSON.stringify(payload));
  if (res.status !== 200) throw new Error(`Herald answered ${res.status}: ${await res.text()}`);
  const answer = (await res.json()) as { type: number; data?: Record<string, unknown> };
  if (answer.type === 4) {
    const data = answer.data ?? {};
    const reply: InteractionReply = { content: String(data.content ?? ''), ephemeral: (Number(data.flags ?? 0) & 64) === 64, files: [], body: data };
    fake.replies.set(payload.token, [...(fake.replies.get(payload.token) ?? []), reply]);
    return { ...reply, answerType: 4 };
  }
  const edited = await waitFor(() => fake.replies.get(payload.token)?.at(-1), timeoutMs, `the edit after /${opts.name} was deferred`);
  return { ...edited, answerType: answer.type };
}
