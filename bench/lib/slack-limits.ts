// A rate-limiting front for the fake Slack: chat.postMessage may post about one message
// per second per channel with short bursts (a token bucket: SLACK_LIMITS.burst, refilled
// at 1/s); beyond that Slack answers HTTP 429 {ok:false,error:'ratelimited'} with
// Retry-After. Everything else is passed through unchanged.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SLACK_LIMITS = { perSecond: 1, burst: 3 };

export class SlackLimitProxy {
  private readonly server: Server;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  requests = 0;
  rateLimited = 0;
  port = 0;

  constructor(private readonly upstream: string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.url?.endsWith('/chat.postMessage')) {
          this.requests++;
          const channel = new URLSearchParams(body.toString('utf8')).get('channel') ?? '';
          const wait = this.take(channel, Date.now());
          if (wait > 0) {
            this.rateLimited++;
            res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(Math.ceil(wait / 1000)) });
            res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
            return;
          }
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host' && e[0] !== 'content-length'));
        fetch(`${this.upstream}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, ...(body.length ? { body } : {}) })
          .then(async (up) => {
            res.writeHead(up.status, Object.fromEntries(up.headers));
            res.end(Buffer.from(await up.arrayBuffer()));
          })
          .catch((err: unknown) => res.writeHead(502).end(String(err)));
      });
    });
  }

  /** 0 when the channel has a token (taken), else ms until it would. */
  private take(channel: string, now: number): number {
    const b = this.buckets.get(channel) ?? { tokens: SLACK_LIMITS.burst, at: now };
    const tokens = Math.min(SLACK_LIMITS.burst, b.tokens + ((now - b.at) / 1000) * SLACK_LIMITS.perSecond);
    if (tokens >= 1) {
      this.buckets.set(channel, { tokens: tokens - 1, at: now });
      return 0;
    }
    this.buckets.set(channel, { tokens, at: now });
    return ((1 - tokens) / SLACK_LIMITS.perSecond) * 1000;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
