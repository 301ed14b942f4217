import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('never writes tokens, whether as fields or inside messages', () => {
    const { lines, stream } = capture();
    const secret = 'MTAwMDAwMDAwMDAwMDAwMDAx.abcdef.ghijklmnopqrstuvwxyz0123456';
    const log = createLogger('info', [secret, 'my-signing-secret'], stream);
    log.info({ token: 'xoxb-123-456', config: { botToken: 'xoxb-9' } }, `connecting with ${secret}`);
    log.error({ err: new Error('auth failed for my-signing-secret') }, 'Authorization: Bot abcdefghijklmnopqrstuvwxyz');
    const out = lines.join('');
    expect(out).not.toContain(secret);
    expect(out).not.toContain('xoxb-');
    expect(out).not.toContain('my-signing-secret');
    expect(out).not.toContain('abcdefghijklmnopqrstuvwxyz');
    expect(out).toContain('[redacted]');
  });

  it('scrubs token shapes', () => {
    expect(scrubSecrets('x xapp-1-A-2 y')).toBe('x [redacted] y');
  });
});

describe('logger errors', () => {
  it('keeps the message and stack of logged errors', () => {
    const { lines, stream } = capture();
    createLogger('info', [], stream).error({ err: new Error('boom at xoxb-1-2') }, 'failed');
    const entry = JSON.parse(lines[0]!) as { err: { message: string; stack: string; type: string } };
    expect(entry.err.message).toBe('boom at [redacted]');
    expect(entry.err.stack).toContain('logger.test.ts');
  });
});
