import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../src/domain/types.js';
import { item } from '../sample-model.js';
import { escapeMrkdwn, SLACK_LIMITS, toSlackMessage } from '../../../src/platforms/slack/render.js';

type Section = { type: 'section'; text: { type: 'mrkdwn'; text: string } };
const sectionOf = (m: OutgoingMessage) => (toSlackMessage(m).blocks![0] as Section).text.text;
const words = (n: number) => `${'word '.repeat(Math.ceil(n / 5))}`.slice(0, n - 1) + 'x';
const HEADING = '*<https://example.com/posts/2|Release 2.0>*';

describe('escapeMrkdwn', () => {
  it('escapes &, < and > (ampersand first) and nothing else', () => {
    expect(escapeMrkdwn('a & <b> &amp; *c* _d_ "e"')).toBe('a &amp; &lt;b&gt; &amp;amp; *c* _d_ "e"');
  });
});

describe('Slack item blocks', () => {
  it('renders every field', () => {
    expect(toSlackMessage(item())).toEqual({
      text: 'Release 2.0 <https://example.com/posts/2>',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `${HEADING}\nNew *things* in <https://example.com/notes|the notes>.` } },
        { type: 'image', image_url: 'https://cdn.example.com/cover.jpg', alt_text: 'Release 2.0' },
        {
          type: 'context',
          elements: [
            { type: 'image', image_url: 'https://example.com/icon.png', alt_text: 'Example Blog' },
            { type: 'mrkdwn', text: 'Example Blog · <!date^1704164645^{date_short_pretty} {time}|2024-01-02T03:04:05.000Z> · Ann · news, release' },
          ],
        },
      ],
      unfurl_links: false,
      unfurl_media: false,
    });
  });

  it('leaves out what the model lacks', () => {
    const msg = toSlackMessage(item({ link: undefined, image: undefined, feedIcon: undefined, author: undefined, date: undefined, categories: [], summary: '' }));
    expect(msg.text).toBe('Release 2.0');
    expect(msg.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Release 2.0*' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Example Blog' }] },
    ]);
  });

  it('keeps a 3000-character section and cuts a 3001-character one', () => {
    const room = SLACK_LIMITS.section - HEADING.length - 1;
    expect(sectionOf(item({ summary: words(room) }))).toHaveLength(3000);
    const cut = sectionOf(item({ summary: words(room + 1) }));
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut.endsWith('word…')).toBe(true);
  });

  it('counts escapes against the limit and never cuts inside an entity', () => {
    const cut = sectionOf(item({ summary: '&'.repeat(3000) }));
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut).toMatch(/(&amp;)+…$/);
  });

  it('keeps the fallback text within 40000 characters', () => {
    expect(toSlackMessage(item({ title: 'x'.repeat(100_000) })).text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
  });
});

describe('Slack injection defences', () => {
  it('makes <!channel>, <!here> and user mentions inert everywhere', () => {
    const hostile = '<!channel> <!here> <@U123> <#C1>';
    const msg = toSlackMessage(item({ title: hostile, summary: hostile, author: hostile, feedTitle: hostile }));
    // alt_text is plain text that Slack never parses for mentions, so it stays as written.
    const all = JSON.stringify(msg, (key, value: unknown) => (key === 'alt_text' ? undefined : value));
    expect(all).not.toMatch(/<!channel>|<!here>|<@U|<#C/);
    expect(msg.text).toContain('&lt;!channel&gt;');
  });

  it('percent-encodes | and > in link targets so a title cannot be rewritten', () => {
    const msg = toSlackMessage(item({ link: 'https://example.com/a|evil>b', title: 'x|y>' }));
    expect(sectionOf(item({ link: 'https://example.com/a|evil>b', title: 'x|y>' }))).toBe('*<https://example.com/a%7Cevil%3Eb|x|y&gt;>*\nNew *things* in <https://example.com/notes|the notes>.');
    expect(msg.text).toBe('x|y&gt; <https://example.com/a%7Cevil%3Eb>');
  });

  it('shows the real target of deceptive links', () => {
    expect(sectionOf(item({ summary: '[paypal.com](https://evil.example/)' }))).toBe(`${HEADING}\npaypal.com (<https://evil.example/>)`);
  });
});

describe('Slack templates and notices', () => {
  it('posts the template as escaped text and a single section', () => {
    const msg = toSlackMessage(item({ templateText: '**New:** Release & more <!channel> https://example.com/posts/2' }));
    const text = '*New:* Release &amp; more &lt;!channel&gt; <https://example.com/posts/2>';
    expect(msg).toEqual({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], unfurl_links: false, unfurl_media: false });
  });

  it('cuts a long template to 3000 in the section but keeps it whole in the text', () => {
    const msg = toSlackMessage(item({ templateText: words(3001) }));
    expect(msg.text).toBe(words(3001));
    expect(((msg.blocks![0] as Section).text.text).length).toBeLessThanOrEqual(3000);
  });

  it('escapes notices', () => {
    expect(toSlackMessage({ kind: 'notice', text: '2 more from <!here> A&B skipped: https://example.com/' })).toEqual({
      text: '2 more from &lt;!here&gt; A&amp;B skipped: <https://example.com/>',
      unfurl_links: false,
      unfurl_media: false,
    });
  });
});
