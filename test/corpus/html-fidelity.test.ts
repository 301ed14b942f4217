// Part 12 item 2 on real feeds: Atom type="xhtml" keeps its text in document order, and
// HTML entities outside the old hand-written table (&infin;) are decoded. Needs ../shared:
// skipped with a visible notice when it is absent, required when CI=true.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseFeed } from '../../src/core/parse/index.js';
import { renderItem } from '../../src/core/render/index.js';
import { CORPUS, describeCorpus } from './shared-corpus.js';

async function render(file: string) {
  const url = `https://corpus.example/${file}`;
  const feed = await parseFeed({ body: readFileSync(`${CORPUS}feeds/${file}`), url, contentType: 'application/atom+xml' });
  return { feed, posts: feed.items.map((i) => ({ item: i, model: renderItem(i, { title: feed.title, url }, 'full'), compact: renderItem(i, { title: feed.title, url }) })) };
}

const body = () => {
  it('samruby-relative-links.atom: link texts stay inside their sentence', async () => {
    const { posts } = await render('samruby-relative-links.atom');
    const plex = posts.find((p) => p.item.title === 'Plex');
    expect(plex).toBeDefined();
    const text = plex!.model.summary;
    expect(text).toContain("Unhappy with [Time Warner Cable](http://intertwingly.net/blog/2012/12/05/Time-Warner-Cables-idea-of-service), I’ve been exploring [netflix](http://movies.netflix.com/WiHome), [dish](http://www.dish.com/)");
    expect(text).not.toMatch(/Unhappy with , /);
    // The default compact excerpt is plain text, in the same order.
    expect(plex!.compact.summary).toContain('Unhappy with Time Warner Cable, I’ve been exploring netflix, dish');
    expect(plex!.item.summaryText).toContain('Unhappy with Time Warner Cable, I’ve been exploring netflix, dish, sling, roku');
    // No post anywhere in the feed glues link texts together after the sentence.
    for (const p of posts) expect(p.model.summary).not.toMatch(/ , , /);
  });

  it('onefoottsunami-xmlbase.atom: &infin; becomes ∞ and no named reference stays raw', async () => {
    const { posts } = await render('onefoottsunami-xmlbase.atom');
    const withPermalink = posts.filter((p) => p.model.summary.includes('Permalink'));
    expect(withPermalink.length).toBeGreaterThan(0);
    for (const p of withPermalink) expect(p.model.summary).toContain('∞ Permalink');
    for (const p of posts) {
      expect(p.model.summary).not.toContain('&infin;');
      expect(p.model.summary).not.toMatch(/&[A-Za-z][A-Za-z0-9]{1,31};/);
    }
  });
};

describeCorpus('corpus: xhtml order and complete entities', body);
