import { describe, expect, it } from 'vitest';
import type { CommandDefinition } from '../../../commands/index.js';
import { CommandTextError, parseCommandText, tokenize, unwrapSlackValue } from '../../../src/platforms/slack/command-text.js';

const subscribe: CommandDefinition = {
  name: 'subscribe',
  description: 'x',
  options: [
    { name: 'feed', description: 'x', type: 'string', required: true },
    { name: 'backfill', description: 'x', type: 'integer', min: 0, max: 10 },
  ],
};
const filter: CommandDefinition = {
  name: 'filter',
  description: 'x',
  options: [
    { name: 'feed', description: 'x', type: 'string', required: true },
    { name: 'include', description: 'x', type: 'string' },
    { name: 'field', description: 'x', type: 'string', choices: ['title', 'any'] },
  ],
};
const importDef: CommandDefinition = {
  name: 'import',
  description: 'x',
  options: [
    { name: 'file', description: 'x', type: 'attachment' },
    { name: 'url', description: 'x', type: 'string' },
  ],
};
const parse = (def: CommandDefinition, text: string) => parseCommandText(def, tokenize(text));

describe('tokenize', () => {
  it('splits on whitespace, keeps quoted values and Slack links whole', () => {
    expect(tokenize('  a  b\tc ')).toEqual(['a', 'b', 'c']);
    expect(tokenize('include:"two words" \'x y\' “curly quotes”')).toEqual(['include:two words', 'x y', 'curly quotes']);
    expect(tokenize('<https://x.test/a|x.test/a label> next')).toEqual(['<https://x.test/a|x.test/a label>', 'next']);
    expect(tokenize('include:""')).toEqual(['include:']);
  });
});

describe('unwrapSlackValue', () => {
  it('accepts URLs bare, as <url> and as <url|label>, and undoes Slack’s &amp; escaping', () => {
    expect(unwrapSlackValue('https://x.test/feed')).toBe('https://x.test/feed');
    expect(unwrapSlackValue('<https://x.test/feed>')).toBe('https://x.test/feed');
    expect(unwrapSlackValue('<https://x.test/feed?a=1&amp;b=2|x.test/feed?a=1&amp;b=2>')).toBe('https://x.test/feed?a=1&b=2');
    expect(unwrapSlackValue('a &lt;b&gt; &amp;amp;')).toBe('a <b> &amp;');
    expect(unwrapSlackValue('<#C123|general>')).toBe('<#C123|general>');
  });
});

describe('parseCommandText', () => {
  it('fills the first required option from a positional and the rest from name:value', () => {
    expect(parse(subscribe, '<https://x.test/f> backfill:3').options).toEqual({ feed: 'https://x.test/f', backfill: 3 });
    expect(parse(subscribe, 'feed:https://x.test/f').options).toEqual({ feed: 'https://x.test/f' });
    expect(() => parse(subscribe, 'https://x.test/f 2')).toThrow(/did not understand “2”/);
    expect(parse(subscribe, 'BACKFILL:1 https://x.test/f').options).toEqual({ feed: 'https://x.test/f', backfill: 1 });
  });

  it('checks integers, ranges and choices', () => {
    expect(() => parse(subscribe, 'https://x.test/f backfill:many')).toThrow(CommandTextError);
    expect(() => parse(subscribe, 'https://x.test/f backfill:11')).toThrow(/from 0 to 10/);
    expect(parse(filter, 'abc field:TITLE include:"a b"').options).toEqual({ feed: 'abc', field: 'title', include: 'a b' });
    expect(() => parse(filter, 'abc field:body')).toThrow(/one of: title, any/);
  });

  it('names what is missing or not understood', () => {
    expect(() => parse(subscribe, '')).toThrow(/Missing feed/);
    expect(() => parse(filter, 'abc include:a stray')).toThrow(/did not understand “stray”/);
  });

  it('takes the optional url positionally and a file option as a link', () => {
    expect(parse(importDef, '<https://x.test/feeds.opml>').options).toEqual({ url: 'https://x.test/feeds.opml' });
    const r = parse(importDef, 'file:<https://x.test/my%20feeds.opml>');
    expect(r.attachments.file).toEqual({ name: 'my feeds.opml', url: 'https://x.test/my%20feeds.opml', size: 0 });
  });
});
