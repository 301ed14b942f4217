// Small helpers shared by the fake platform servers.
import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export interface MultipartPart {
  name: string;
  filename?: string;
  data: Buffer;
}

/** Just enough multipart/form-data parsing for payload_json + files[n] uploads. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return [];
  const parts: MultipartPart[] = [];
  const text = body.toString('latin1');
  for (const chunk of text.split(`--${b}`)) {
    const idx = chunk.indexOf('\r\n\r\n');
    if (idx < 0) continue;
    const head = chunk.slice(0, idx);
    const name = /name="([^"]*)"/.exec(head)?.[1];
    if (!name) continue;
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    const data = Buffer.from(chunk.slice(idx + 4).replace(/\r\n$/, ''), 'latin1');
    parts.push({ name, data, ...(filename ? { filename } : {}) });
  }
  return parts;
}

/** Parses a JSON or multipart (payload_json) request body. */
export function decodeBody(body: Buffer, contentType: string | undefined): { json: Record<string, unknown>; files: MultipartPart[] } {
  if (contentType?.startsWith('multipart/form-data')) {
    const parts = parseMultipart(body, contentType);
    const payload = parts.find((p) => p.name === 'payload_json');
    return { json: payload ? (JSON.parse(payload.data.toString('utf8')) as Record<string, unknown>) : {}, files: parts.filter((p) => p.filename !== undefined) };
  }
  if (!body.length) return { json: {}, files: [] };
  return { json: JSON.parse(body.toString('utf8')) as Record<string, unknown>, files: [] };
}

export function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = check();
      if (v !== undefined) return resolve(v);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}
