import { FetchError, type Fetcher, type FetcherOptions, type FetchRequest, type FetchResult } from './index.js';

const ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new FetchError('too-large', `the feed is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  if (!res.body) return Buffer.alloc(0);
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new FetchError('too-large', `the feed is larger than ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function classify(err: unknown): FetchError {
  if (err instanceof FetchError) return err;
  const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  const code = e.cause?.code ?? '';
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new FetchError('timeout', 'the server took too long to answer');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new FetchError('dns', 'host not found');
  if (/CERT|TLS|SSL/.test(code)) return new FetchError('tls', `TLS error (${code})`);
  return new FetchError('connect', `could not connect (${code || e.message || 'network error'})`);
}

export function createSimpleFetcher(opts: FetcherOptions): Fetcher {
  return {
    async fetch(req: FetchRequest): Promise<FetchResult> {
      const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': opts.userAgent };
      if (req.etag) headers['if-none-match'] = req.etag;
      if (req.lastModified) headers['if-modified-since'] = req.lastModified;
      try {
        const res = await fetch(req.url, { headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 20_000) });
        if (res.status === 304) return { status: 'not-modified' };
        if (res.status >= 400) {
          await res.body?.cancel();
          throw new FetchError('http', `the server answered HTTP ${res.status}`, { status: res.status });
        }
        const body = await readCapped(res, opts.maxBytes);
        const out: FetchResult = { status: 'ok', url: res.url || req.url, body };
        const ct = res.headers.get('content-type');
        const etag = res.headers.get('etag');
        const lm = res.headers.get('last-modified');
        if (ct) out.contentType = ct;
        if (etag) out.etag = etag;
        if (lm) out.lastModified = lm;
        return out;
      } catch (err) {
        throw classify(err);
      }
    },
    async close() {},
  };
}
