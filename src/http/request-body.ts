// Reading a request before it is authenticated, shared by the receivers that verify a
// platform's signature over the raw bytes (Slack's HMAC, Discord's Ed25519): the body is
// capped, so an unauthenticated sender can make Herald hold at most `limit` bytes.
import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

/**
 * The whole body as bytes, or BodyTooLarge once it passes `limit`. A declared length over
 * the limit is refused before a byte of it is read; a streamed one as soon as it passes.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A header's value; of a repeated header, the first. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
