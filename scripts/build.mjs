// Compiles src/ and commands/ to dist/ with esbuild: a transpile only, about a second.
// Typechecking is `npm test`'s job (tsc --noEmit); Herald runs the compiled JavaScript, so
// no TypeScript loader sits in the running process (tsx cost ~40 MB of RSS at idle).
//
//   node scripts/build.mjs             build now
//   node scripts/build.mjs --if-stale  build only when the sources changed since the last build
//
// Several processes may ask at once (vitest forks spawning the CLI, three `npm start`s of a
// cluster test). A build therefore takes a lock (mkdir is atomic), writes into a temporary
// folder and swaps it in with two renames, so no one ever runs a half-written dist/; whoever
// waited on the lock finds the sources built and skips.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist');
const STAMP = '.source-hash';
const LOCK = join(ROOT, '.dist-lock');
/** A lock older than this was left by a killed build. */
const STALE_LOCK_MS = 60_000;
const SOURCE_DIRS = ['src', 'commands'];
/** Besides the sources, what changes the output. */
const INPUT_FILES = ['tsconfig.json', 'scripts/build.mjs'];

function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(ROOT, d));
  return out.sort();
}

/** Hash of every input's path and content: a checkout switch or an edit changes it. */
function sourceHash(files) {
  const h = createHash('sha256');
  for (const f of [...files, ...INPUT_FILES.map((p) => join(ROOT, p))]) {
    h.update(relative(ROOT, f)).update('\0');
    if (existsSync(f)) h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

const builtHash = () => {
  try {
    return readFileSync(join(OUT, STAMP), 'utf8');
  } catch {
    return undefined;
  }
};

async function compile(files, hash) {
  const esbuild = await import('esbuild').catch((err) => {
    // `npm ci --omit=dev` leaves esbuild out: say what to do instead of a bare module error.
    throw new Error(`dist/ is missing or older than src/, and esbuild is not installed to build it (${err.message}): run \`npm ci\` with dev dependencies, then \`npm run build\``);
  });
  const tmp = join(ROOT, `.dist-tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: files,
    outdir: tmp,
    outbase: ROOT,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  // esbuild's service process would otherwise live on beside Herald (--import prestart).
  await esbuild.stop();
  writeFileSync(join(tmp, STAMP), hash);
  const old = join(ROOT, `.dist-old-${process.pid}`);
  if (existsSync(OUT)) renameSync(OUT, old);
  renameSync(tmp, OUT);
  rmSync(old, { recursive: true, force: true });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withLock(fn) {
  // Bounded: 1,200 tries of 50 ms. A lock left by a killed build is taken over once stale.
  for (let i = 0; i < 1200; i++) {
    try {
      mkdirSync(LOCK);
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Released meanwhile: try again.
      }
      await sleep(50);
      continue;
    }
    try {
      return await fn();
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  throw new Error(`could not take the build lock ${LOCK} within 60 s`);
}

/** Builds dist/ unless (ifStale) it already holds these sources. False when there are no sources (an image). */
export async function ensureBuilt({ ifStale = true } = {}) {
  if (!existsSync(join(ROOT, 'src'))) return false;
  const files = sourceFiles();
  const hash = sourceHash(files);
  if (ifStale && builtHash() === hash) return true;
  await withLock(async () => {
    // Someone else may have built these very sources while this process waited.
    if (ifStale && builtHash() === hash) return;
    await compile(files, hash);
  });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureBuilt({ ifStale: process.argv.includes('--if-stale') });
}
