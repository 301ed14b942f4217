// `npm run test:container`: builds the Dockerfile with container-check (buildah, no Docker engine),
// starts the image against a FakeDiscord on loopback and waits until it is ready.
// Skips (exit 0) with a message where container-check or buildah cannot run.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeDiscord } from '../fakes/discord/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// CI lays shared/ beside the clone, as it is beside /work/main here.
const tool = process.env.CONTAINER_CHECK ?? join(root, '..', 'shared', 'tools', 'container-check');

function skip(why: string): never {
  console.log(`test:container skipped: ${why}`);
  process.exit(0);
}

/**
 * container-check tests for its base images with `buildah images | grep -qx …` under
 * pipefail; when grep quits early, buildah dies of SIGPIPE and the test reads "missing",
 * rebuilding a base image (~10 minutes). A shim on PATH hands grep the whole listing in
 * one write, so the answer is right. Only where buildah is installed: otherwise
 * container-check must still see it missing and install it.
 */
function buildahShimPath(): string | undefined {
  const real = spawnSync('sh', ['-c', 'command -v buildah'], { encoding: 'utf8' }).stdout.trim();
  if (!real) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'herald-buildah-'));
  const shim = join(dir, 'buildah');
  writeFileSync(shim, `#!/bin/sh\nif [ "$1" = images ]; then out=$('${real}' "$@") || exit $?; printf '%s\\n' "$out"; exit 0; fi\nexec '${real}' "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** A port nobody listens on now; the container binds it on the shared host network. */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

async function main(): Promise<number> {
  if (!existsSync(tool)) skip(`container-check not found at ${tool} (set CONTAINER_CHECK to its path)`);
  // container-check installs buildah with apt-get when it is missing; without either it cannot work.
  if (!has('buildah') && !(has('apt-get') && process.getuid?.() === 0)) skip('buildah is not installed and cannot be installed here (needs root and apt-get)');

  const discord = await new FakeDiscord().start();
  const port = await freePort();
  // /readyz rather than /healthz: /healthz answers before the store opens, so only
  // readiness proves the sqlite3 native module loads in the image and Discord connected.
  const health = `http://127.0.0.1:${port}/readyz`;
  const args = ['--timeout', '120', '--health', health, '-e', `PORT=${port}`, '-e', 'DISCORD_TOKEN=x', '-e', `DISCORD_API_URL=${discord.apiUrl}`];
  console.log(`test:container: ${tool} ${args.join(' ')}`);
  const started = Date.now();
  const code = await new Promise<number>((res) => {
    const shim = buildahShimPath();
    const env = shim ? { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}` } : process.env;
    const child = spawn(tool, args, { cwd: root, stdio: 'inherit', env });
    child.on('error', (err) => {
      console.error(`test:container: could not run container-check: ${err.message}`);
      res(1);
    });
    child.on('exit', (c, signal) => res(c ?? (signal ? 1 : 0)));
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  await discord.stop();
  if (code !== 0) {
    console.error(`test:container FAILED: container-check exited ${code} after ${seconds}s`);
    return 1;
  }
  if (discord.gateway.identifies < 1) {
    console.error('test:container FAILED: the container answered but never connected to the fake Discord gateway');
    return 1;
  }
  console.log(`test:container passed in ${seconds}s: image built, started as configured, ready, and connected to Discord`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:container FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
