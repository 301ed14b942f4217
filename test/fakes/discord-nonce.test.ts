// The fake Discord's enforce_nonce: a repeat of the same nonce by the same author in the
// same channel within 5 minutes answers the first message and creates none, as Discord
// does; Herald's duplicate-free retries are only proven if the fake behaves so.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageNonce } from '../../src/platforms/discord/targets.js';
import { FakeDiscord } from './discord/index.js';
import { openApiChecker, specMissing } from './discord/openapi.js';
import { NONCE_WINDOW_MS } from './discord/places.js';
import { itNeeds } from '../support/needs.js';

const [CH1, CH2] = ['300000000000000001', '300000000000000002'] as const;

describe('fake Discord: enforce_nonce on Create Message', () => {
  let discord: FakeDiscord;
  beforeEach(async () => {
    discord = await new FakeDiscord().start();
  });
  afterEach(async () => {
    await discord.stop();
    discord.throwIfInvalidRequests();
  });

  const post = async (channelId: string, body: Record<string, unknown>) => {
    const res = await fetch(`${discord.apiUrl}/v10/channels/${channelId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { id: string; nonce?: string } };
  };

  it('answers a repeated enforced nonce with the first message and creates nothing', async () => {
    const a = await post(CH1, { content: 'one', nonce: 'herald-1', enforce_nonce: true });
    const b = await post(CH1, { content: 'one again', nonce: 'herald-1', enforce_nonce: true });
    expect(a.status).toBe(200);
    expect(b).toEqual({ status: 200, json: a.json });
    expect(a.json.nonce).toBe('herald-1');
    expect(discord.messagesIn(CH1).map((m) => m.body.content)).toEqual(['one']);
    expect(discord.nonces.hits).toBe(1);
  });

  it('posts again without enforce_nonce, in another channel, and after the window', async () => {
    await post(CH1, { content: 'a', nonce: 'n1' });
    await post(CH1, { content: 'b', nonce: 'n1' });
    expect(discord.messagesIn(CH1)).toHaveLength(2);

    await post(CH1, { content: 'c', nonce: 'n2', enforce_nonce: true });
    await post(CH2, { content: 'd', nonce: 'n2', enforce_nonce: true });
    expect(discord.messagesIn(CH2)).toHaveLength(1);

    const start = Date.now();
    discord.nonces.now = () => start + NONCE_WINDOW_MS - 1000;
    await post(CH1, { content: 'e', nonce: 'n2', enforce_nonce: true });
    expect(discord.messagesIn(CH1)).toHaveLength(3);
    discord.nonces.now = () => start + NONCE_WINDOW_MS + 1000;
    await post(CH1, { content: 'f', nonce: 'n2', enforce_nonce: true });
    expect(discord.messagesIn(CH1).map((m) => m.body.content)).toEqual(['a', 'b', 'c', 'f']);
  });

  it('loses the answer of a created message; the retry with its nonce gets that message back', async () => {
    discord.lostAnswers = 1;
    await expect(post(CH1, { content: 'x', nonce: 'lost', enforce_nonce: true })).rejects.toThrow();
    expect(discord.messagesIn(CH1)).toHaveLength(1);
    const again = await post(CH1, { content: 'x', nonce: 'lost', enforce_nonce: true });
    expect(again.json.id).toBe(discord.messagesIn(CH1)[0]!.id);
    expect(discord.messagesIn(CH1)).toHaveLength(1);
  });

  // The 400 comes from the fake's spec checker, which needs Discord's OpenAPI description.
  itNeeds(specMissing, 'rejects a nonce longer than 25 characters, as the spec does', async () => {
    const res = await post(CH1, { content: 'x', nonce: 'n'.repeat(26), enforce_nonce: true });
    expect(res.status).toBe(400);
    expect(discord.messagesIn(CH1)).toHaveLength(0);
    expect(discord.openApiViolations).toHaveLength(1);
    discord.openApiViolations.splice(0); // expected: not a failure of this test
  });
});

describe("Herald's message nonce", () => {
  it('is a fixed function of key, part and channel: the same in every process and restart', () => {
    // A literal, so randomness or a process-local counter would fail here.
    expect(messageNonce('sub1:item-guid', 0, CH1)).toBe(messageNonce('sub1:item-guid', 0, CH1));
    expect(messageNonce('sub1:item-guid', 0, CH1)).toBe('h1jvptpsh0844igfgg1pum3ev');
    const all = new Set([messageNonce('sub1:item-guid', 0, CH1), messageNonce('sub1:item-guid', 1, CH1), messageNonce('sub1:item-guid', 0, CH2), messageNonce('sub2:item-guid', 0, CH1)]);
    expect(all.size).toBe(4);
  });

  it('fits Discord: at most 25 characters, a string the OpenAPI description accepts', () => {
    const check = openApiChecker();
    for (let i = 0; i < 200; i++) {
      const nonce = messageNonce(`sub:${i}`, i % 3, CH1);
      expect(nonce.length).toBeLessThanOrEqual(25);
      expect(nonce).toMatch(/^h[0-9a-z]+$/);
      if (check) expect(check.check('POST', `/channels/${CH1}/messages`, { content: 'x', nonce, enforce_nonce: true })).toEqual([]);
    }
  });
});
