// The benchmark's feed server, run as a child process so its CPU and memory stay out of the
// numbers measured in the parent. Prints its port on stdout; `/f/<n>?v=<version>` serves
// synthetic feed n, answering 304 when If-None-Match carries that version's ETag.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { etagFor, syntheticFeed } from './feeds.js';

const cache = new Map<string, Buffer>();

const server = createServer((req, res) => {
  const m = /^\/f\/(\d+)(?:\?v=(\d+))?$/.exec(req.url ?? '');
  if (!m) return void res.writeHead(404).end();
  const feed = Number(m[1]);
  const version = Number(m[2] ?? '1');
  const etag = etagFor(feed, version);
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
  const key = `${feed}:${version}`;
  let body = cache.get(key);
  if (!body) {
    body = Buffer.from(syntheticFeed(feed, version));
    if (cache.size > 200) cache.clear();
    cache.set(key, body);
  }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'content-length': body.length }).end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('disconnect', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
