#!/usr/bin/env node
// The `herald` command. In a checkout (src/ present) it runs the TypeScript source through
// tsx, so a stale dist/ can never answer; in the container image and other builds without
// src/ it runs the compiled dist/src/cli/main.js.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/src/cli/main.js', import.meta.url);

if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  console.error('herald: neither src/cli/main.ts nor dist/src/cli/main.js found; run "npm run build" first');
  process.exit(1);
}
