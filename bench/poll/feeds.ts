// Synthetic feeds for the poll benchmark: RSS 2.0, 50 items, ~200 KB, HTML content like a
// WordPress feed (escaped summary in <description>, full HTML in content:encoded CDATA).

const WORDS = 'feed reader channel bot message poll update server client cache header parser item title link author date story news today open source herald'.split(' ');

function words(seed: number, count: number): string {
  let x = seed * 2654435761 % 4294967296;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[x % WORDS.length]!);
  }
  return out.join(' ');
}

function paragraph(seed: number): string {
  return `<p>${words(seed, 40)} <a href="https://blog.example/tag/${seed % 17}">${words(seed + 1, 3)}</a> &amp; ${words(seed + 2, 25)}.</p>`;
}

/** The HTML body of one post, ~2.8 KB. */
function content(feed: number, n: number): string {
  const paras = Array.from({ length: 7 }, (_, i) => paragraph(feed * 1000 + n * 10 + i)).join('\n');
  return `<figure><img src="https://cdn.blog.example/${feed}/${n}.jpg" alt="cover"></figure>\n${paras}\n<blockquote>${words(n, 20)}</blockquote>`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Feed `feed` at `version`: each version adds 5 new posts on top, so version 2 has 5 items
 * that version 1 did not (what a "changed" poll sees).
 */
export function syntheticFeed(feed: number, version: number, count = 50): string {
  const newest = 1000 + version * 5;
  const base = Date.UTC(2024, 0, 1);
  const items: string[] = [];
  for (let n = newest; n > newest - count; n--) {
    const html = content(feed, n);
    items.push(
      `<item><title>Post ${n} of feed ${feed}: ${words(n, 6)}</title><link>https://blog.example/${feed}/posts/${n}</link>` +
        `<guid isPermaLink="false">blog-${feed}-${n}</guid><pubDate>${new Date(base + n * 3_600_000).toUTCString()}</pubDate>` +
        `<dc:creator>Author ${n % 7}</dc:creator><category>${WORDS[n % WORDS.length]}</category>` +
        `<description>${esc(html.slice(0, 400))}</description><content:encoded><![CDATA[${html}]]></content:encoded></item>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
    `<channel><title>Synthetic feed ${feed}</title><link>https://blog.example/${feed}/</link><description>bench</description>\n${items.join('\n')}\n</channel></rss>`
  );
}

export const etagFor = (feed: number, version: number) => `"f${feed}-v${version}"`;

/** The bench's 20 feed hosts: loopback addresses allowlisted for the bench only. */
export const HOSTS = Array.from({ length: 20 }, (_, i) => `127.0.0.${11 + i}`);
