// Field types of the settings schema. Each takes the setting's name, because every error
// names the setting and the expected form. Platforms build their own settings from these.
import { z } from 'zod';
import { parseDuration } from './duration.js';

export const duration = (name: string, min: number) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms < min) {
      ctx.addIssue({ code: 'custom', message: `${name}="${text}" is not a duration of at least ${min / 1000}s; use e.g. 30s, 10m, 1h` });
      return z.NEVER;
    }
    return ms;
  });

export const intIn = (name: string, min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `${name}="${text}" must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });

export const url = (name: string, schemes: RegExp, example: string) =>
  z.string().refine((text) => {
    try {
      new URL(text);
      return schemes.test(text);
    } catch {
      return false;
    }
  }, { message: `${name} must be a URL like ${example}` });

export const bool = (name: string) =>
  z.string().transform((text, ctx) => {
    if (/^(1|true|yes|on)$/i.test(text)) return true;
    if (/^(0|false|no|off)$/i.test(text)) return false;
    ctx.addIssue({ code: 'custom', message: `${name}="${text}" must be true or false` });
    return z.NEVER;
  });
