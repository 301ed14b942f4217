#!/usr/bin/env node
// The `herald` command runs the compiled dist/src/cli/main.js. In a checkout (src/ present)
// it first rebuilds dist/ if the sources changed (scripts/build.mjs: a second's transpile,
// safe when several run at once), so a stale dist/ can never answer; in the container image
// there is no src/ and dist/ is what the image was built with.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/src/cli/main.js', import.meta.url);

if (existsSync(source)) {
  const { ensureBuilt } = await import('../scripts/build.mjs');
  await ensureBuilt({ ifStale: true });
}
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  console.error('herald: dist/src/cli/main.js not found; run "npm run build" first');
  process.exit(1);
}
