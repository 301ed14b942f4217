// The benchmark's feed hosts, run as a child process so their CPU and memory stay out of the
// numbers measured in the parent: one listener on each of 127.0.0.11 … 127.0.0.30, all on
// one port. `/f/<n>` answers 304 when If-None-Match carries feed n's ETag, else the feed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { etagFor, HOSTS, syntheticFeed } from './feeds.js';

const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  const path = req.url ?? '';
  if (!path.startsWith('/f/')) return void res.writeHead(404).end();
  const feed = Number(path.slice(3));
  const etag = etagFor(feed, 1);
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
  const body = Buffer.from(syntheticFeed(feed, 1, 10));
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'content-length': body.length }).end(body);
};

async function listen(host: string, port: number): Promise<Server> {
  const server = createServer(handler);
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

async function main() {
  const first = await listen(HOSTS[0]!, 0);
  const port = (first.address() as AddressInfo).port;
  for (const host of HOSTS.slice(1)) await listen(host, port);
  process.stdout.write(`${port}\n`);
}

void main();
process.on('disconnect', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
