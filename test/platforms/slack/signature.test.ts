import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from '../../../src/platforms/slack/signature.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_700_000_000_000;
const ts = String(NOW / 1000);
const body = 'token=x&team_id=T1&command=%2Fsubscribe&text=https%3A%2F%2Fexample.com%2Ffeed';

describe('verifySlackSignature', () => {
  it('matches the documented v0 scheme and accepts a fresh, correct signature', () => {
    const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    expect(signSlackRequest(SECRET, ts, body)).toBe(expected);
    expect(verifySlackSignature(SECRET, { timestamp: ts, signature: expected, rawBody: Buffer.from(body) }, NOW)).toEqual({ ok: true });
  });

  it('rejects a wrong secret, a changed body and a truncated signature', () => {
    const good = signSlackRequest(SECRET, ts, body);
    expect(verifySlackSignature(SECRET, { timestamp: ts, signature: signSlackRequest('other', ts, body), rawBody: body }, NOW).ok).toBe(false);
    expect(verifySlackSignature(SECRET, { timestamp: ts, signature: good, rawBody: `${body}&x=1` }, NOW).ok).toBe(false);
    expect(verifySlackSignature(SECRET, { timestamp: ts, signature: good.slice(0, -2), rawBody: body }, NOW).ok).toBe(false);
  });

  it('rejects timestamps more than 5 minutes off, either way', () => {
    const at = (offsetS: number) => {
      const t = String(NOW / 1000 + offsetS);
      return verifySlackSignature(SECRET, { timestamp: t, signature: signSlackRequest(SECRET, t, body), rawBody: body }, NOW);
    };
    expect(at(-299).ok).toBe(true);
    expect(at(-301)).toEqual({ ok: false, reason: expect.stringMatching(/stale/) });
    expect(at(301).ok).toBe(false);
  });

  it('rejects missing or malformed headers', () => {
    expect(verifySlackSignature(SECRET, { timestamp: undefined, signature: 'v0=00', rawBody: body }, NOW).ok).toBe(false);
    expect(verifySlackSignature(SECRET, { timestamp: ts, signature: undefined, rawBody: body }, NOW).ok).toBe(false);
    expect(verifySlackSignature(SECRET, { timestamp: 'soon', signature: 'v0=00', rawBody: body }, NOW).ok).toBe(false);
    expect(verifySlackSignature(SECRET, { timestamp: ts, signature: 'v1=abc', rawBody: body }, NOW).ok).toBe(false);
  });
});
