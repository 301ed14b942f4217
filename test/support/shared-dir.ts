// ../shared beside the checkout holds data the project does not ship: the real-world feed
// corpus and Discord's OpenAPI description. A fresh clone has none of it, so every test that
// reads it asks here first and skips with a notice (or fails under CI=true, see needs.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Missing } from './needs.js';

/** The folder beside the checkout; HERALD_SHARED moves it. */
export const SHARED_DIR = process.env.HERALD_SHARED ?? fileURLToPath(new URL('../../../shared', import.meta.url));

/** A path in ../shared, unless the environment variable `override` names the file or folder itself. */
export function sharedPath(relative: string, override?: string): string {
  return (override && process.env[override]) || `${SHARED_DIR}/${relative}`;
}

/** undefined when `path` (from sharedPath) exists; else why a test cannot use it. */
export function needsShared(path: string, what: string, override?: string): Missing {
  if (existsSync(path)) return undefined;
  return {
    what,
    why: `${path} is absent (a fresh clone has no ../shared)`,
    hint: `CI lays shared/ beside the clone; or set ${override ?? 'HERALD_SHARED'}.`,
  };
}
