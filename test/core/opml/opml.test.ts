import { describe, expect, it } from 'vitest';
import { buildOpml } from '../../../src/core/opml/build.js';
import { parseOpml } from '../../../src/core/opml/parse.js';
import { UserError } from '../../../src/domain/errors.js';

const FEEDLY = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions &amp; more</title></head>
  <body>
    <outline text="Tech" title="Tech">
      <outline type="rss" text="A &amp; B" title="A &amp; B" xmlUrl="https://a.example/feed?x=1&amp;y=2" htmlUrl="https://a.example/"/>
      <outline text="Deeper">
        <outline type="rss" text="Deep" xmlurl="https://deep.example/rss"/>
      </outline>
    </outline>
    <outline type="rss" text="Top level" xmlUrl="  https://top.example/atom.xml  "/>
    <outline text="Just a note"/>
  </body>
</opml>`;

describe('parseOpml', () => {
  it('finds feeds at every level, with their folders, and decodes entities', () => {
    const doc = parseOpml(FEEDLY);
    expect(doc.title).toBe('Subscriptions & more');
    expect(doc.entries).toEqual([
      { xmlUrl: 'https://a.example/feed?x=1&y=2', title: 'A & B', htmlUrl: 'https://a.example/', categories: ['Tech'] },
      { xmlUrl: 'https://deep.example/rss', title: 'Deep', categories: ['Tech', 'Deeper'] },
      { xmlUrl: 'https://top.example/atom.xml', title: 'Top level', categories: [] },
    ]);
  });

  it('accepts an empty body and a single outline', () => {
    expect(parseOpml('<opml version="2.0"><head/><body/></opml>').entries).toEqual([]);
    expect(parseOpml('<opml><body><outline xmlUrl="https://x.example/f"/></body></opml>').entries).toHaveLength(1);
  });

  it('refuses broken XML and XML that is not OPML, saying what to do', () => {
    expect(() => parseOpml('<opml><body><outline></body></opml>')).toThrow(UserError);
    expect(() => parseOpml('<opml><body><outline></body></opml>')).toThrow(/not a valid OPML file.*line/);
    expect(() => parseOpml('<rss><channel/></rss>')).toThrow(/not OPML/);
    expect(() => parseOpml('hello')).toThrow(UserError);
  });

  it('does not expand entity bombs without limit', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]><opml><body><outline text="&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;" xmlUrl="https://x.example/"/></body></opml>`;
    let length = 0;
    try {
      length = parseOpml(bomb).entries[0]?.title?.length ?? 0;
    } catch {
      length = 0; // refusing is fine too
    }
    expect(length).toBeLessThan(1_000_000);
  });
});

describe('buildOpml', () => {
  it('escapes titles and URLs and round-trips through parseOpml', () => {
    const outlines = [
      { title: `Tom & "Jerry" <3 'quotes'`, xmlUrl: 'https://a.example/feed?x=1&y=2', htmlUrl: 'https://a.example/?p=1&q=2' },
      { title: 'Bell\u0007 title\nwith newline', xmlUrl: 'https://b.example/rss' },
      { title: '', xmlUrl: 'https://c.example/rss' },
    ];
    const xml = buildOpml({ title: 'Herald – #news & co', outlines, createdAt: Date.UTC(2026, 0, 2) });
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('<opml version="2.0">');
    expect(xml).toContain('Tom &amp; &quot;Jerry&quot; &lt;3');
    expect(xml).not.toContain('\u0007');
    expect(xml).toContain('Fri, 02 Jan 2026 00:00:00 GMT');
    const back = parseOpml(xml);
    expect(back.title).toBe('Herald – #news & co');
    expect(back.entries).toEqual([
      { xmlUrl: 'https://a.example/feed?x=1&y=2', title: `Tom & "Jerry" <3 'quotes'`, htmlUrl: 'https://a.example/?p=1&q=2', categories: [] },
      { xmlUrl: 'https://b.example/rss', title: 'Bell title with newline', categories: [] },
      { xmlUrl: 'https://c.example/rss', title: 'https://c.example/rss', categories: [] },
    ]);
  });

  it('builds a valid document with no feeds', () => {
    expect(parseOpml(buildOpml({ title: 'empty', outlines: [], createdAt: 0 })).entries).toEqual([]);
  });
});

describe('OPML and /feeds style', () => {
  it('writes the style as heraldStyle and reads it back', () => {
    const xml = buildOpml({ title: 't', createdAt: 0, outlines: [{ title: 'A', xmlUrl: 'https://a.example/f', style: 'link' }, { title: 'B', xmlUrl: 'https://b.example/f' }] });
    expect(parseOpml(xml).entries.map((e) => e.style)).toEqual(['link', undefined]);
  });
});
