// The benchmark's feed hosts, run as a child process so their CPU and memory stay out of the
// numbers measured: one listener on each of 127.0.0.11 … 127.0.0.30, all on one port.
// `/f/<n>` answers 304 when If-None-Match carries feed n's ETag, else the feed. The server
// also counts, per feed, the polls since the last `/stats/mark` and the intervals that ended
// with them (each poll's distance to the feed's previous poll, even one from before the mark):
// that is how the bench sees, from outside, how often Herald polled each feed.
// `GET /stats` answers {counts, meanIntervalMs, full, notModified} (meanIntervalMs 0: none).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { etagFor, HOSTS, syntheticFeed } from './feeds.js';

const FEEDS = Number(process.argv.find((a) => a.startsWith('--feeds='))?.split('=')[1] ?? 100_000);
const counts = new Uint32Array(FEEDS);
const previous = new Float64Array(FEEDS).fill(-1);
const intervalSum = new Float64Array(FEEDS);
const intervals = new Uint32Array(FEEDS);
let full = 0;
let notModified = 0;

function mark() {
  counts.fill(0);
  intervalSum.fill(0);
  intervals.fill(0);
  full = 0;
  notModified = 0;
}

function stats(res: ServerResponse) {
  const meanIntervalMs = Array.from(intervals, (n, i) => (n ? Math.round(intervalSum[i]! / n) : 0));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ counts: Array.from(counts), meanIntervalMs, full, notModified }));
}

const handler = (req: IncomingMessage, res: ServerResponse) => {
  const path = req.url ?? '';
  if (path === '/stats/mark') return void (mark(), res.writeHead(204).end());
  if (path === '/stats') return stats(res);
  if (!path.startsWith('/f/')) return void res.writeHead(404).end();
  const feed = Number(path.slice(3));
  if (feed >= 0 && feed < FEEDS) {
    const t = performance.now();
    if (previous[feed]! >= 0) {
      intervalSum[feed]! += t - previous[feed]!;
      intervals[feed]!++;
    }
    previous[feed] = t;
    counts[feed]!++;
  }
  const etag = etagFor(feed, 1);
  if (req.headers['if-none-match'] === etag) return void (notModified++, res.writeHead(304, { etag }).end());
  full++;
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
