// `npm start` preloads this (node --import) before dist/src/main.js is resolved: it builds
// dist/ when the sources changed, so a checkout always runs what it holds, as compiled
// JavaScript. Without src/ (the container image) it does nothing.
import { ensureBuilt } from './build.mjs';

await ensureBuilt({ ifStale: true });
