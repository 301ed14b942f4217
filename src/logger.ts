// pino: JSON by default, pretty on a TTY. Tokens are redacted by key and scrubbed by shape.
import pino, { type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = ['token', 'botToken', 'appToken', 'signingSecret', 'authorization', 'DISCORD_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'];

/** Values that look like Slack or Discord tokens, wherever they appear in a message. */
const TOKEN_SHAPES = [/xox[abposr]-[A-Za-z0-9-]+/g, /xapp-[A-Za-z0-9-]+/g, /[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}/g, /(Bot|Bearer)\s+[A-Za-z0-9._-]{16,}/g];

export function scrubSecrets(text: string, extra: string[] = []): string {
  let out = text;
  for (const s of extra) if (s && s.length >= 6) out = out.split(s).join('[redacted]');
  for (const re of TOKEN_SHAPES) out = out.replace(re, '[redacted]');
  return out;
}

function scrubValue(v: unknown, secrets: string[], depth: number): unknown {
  if (typeof v === 'string') return scrubSecrets(v, secrets);
  if (v instanceof Error) return scrubValue(pino.stdSerializers.err(v), secrets, depth + 1);
  if (!v || typeof v !== 'object' || depth > 8) return v;
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, secrets, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrubValue(x, secrets, depth + 1)]));
}

/**
 * `secrets` are values scrubbed wherever they appear; `secretKeys` are more keys to redact
 * (app.ts passes the registered platforms' secret settings, so a new platform's are too).
 */
export function createLogger(level: string, secrets: string[] = [], destination?: pino.DestinationStream, secretKeys: readonly string[] = []): Logger {
  const pretty = !destination && process.stdout.isTTY;
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'herald' },
    redact: { paths: [...new Set([...SECRET_KEYS, ...secretKeys])].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]), censor: '[redacted]' },
    hooks: {
      // Errors from HTTP clients sometimes echo request headers; scrub every message.
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrubSecrets(a, secrets) : a)) as Parameters<typeof method>);
      },
    },
    formatters: {
      // Runs before pino's serializers, so errors are serialised here first: a plain
      // JSON round trip would turn an Error into {} and hide every failure's cause.
      log(obj) {
        return scrubValue(obj, secrets, 0) as Record<string, unknown>;
      },
    },
  };
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return destination ? pino(options, destination) : pino(options);
}
