// Untrusted spans in reply text: marked once, escaped by each platform, never forgeable.
import { describe, expect, it } from 'vitest';
import { plainReplyText, replySegments, untrusted } from '../../src/domain/reply-text.js';
import { discordReplyText } from '../../src/platforms/discord/interactions.js';
import { replyMrkdwn } from '../../src/platforms/slack/reply.js';

const MASKED = '[Verify your account](https://evil.example/login)';

describe('untrusted reply text', () => {
  it('splits Herald text from feed spans, and a feed cannot close its span early', () => {
    const forged = `a\uE001**b**\uE000c`;
    const text = `Subscribed to **${untrusted(forged)}** now`;
    expect(replySegments(text)).toEqual([
      { text: 'Subscribed to **', untrusted: false },
      { text: 'a**b**c', untrusted: true },
      { text: '** now', untrusted: false },
    ]);
    expect(plainReplyText(text)).toBe('Subscribed to **a**b**c** now');
  });

  it('keeps feed values on one line', () => {
    expect(plainReplyText(untrusted('Title\nHerald: your token expired'))).toBe('Title Herald: your token expired');
  });

  it('Discord: escapes the span, keeps Herald markdown', () => {
    expect(discordReplyText(`**${untrusted(MASKED)}** [docs](https://herald.example)`)).toBe('**\\[Verify your account\\](https://evil.example/login)** [docs](https://herald.example)');
  });

  it('Slack: a span never becomes <url|label> or bold; Herald markdown still maps', () => {
    expect(replyMrkdwn(`**${untrusted(MASKED)}** & [docs](https://herald.example)`)).toBe('*[Verify your account](https://evil.example/login)* &amp; <https://herald.example|docs>');
    expect(replyMrkdwn(`x ${untrusted('**<!channel>**')}`)).toBe('x **&lt;!channel&gt;**');
    // Light markdown escapes (a template sample) stay literal too.
    expect(replyMrkdwn('\\[Verify\\](https://evil.example/login) \\*\\*x\\*\\*')).toBe('[Verify](https://evil.example/login) **x**');
  });
});
