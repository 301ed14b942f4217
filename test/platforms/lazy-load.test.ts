// Registering a platform costs nothing until it is turned on: the config, the registry and
// app.ts load no client library, and a platform's adapter loads only its own. Watched in a
// child process through a module resolve hook, since this process has loaded them all.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// Prints every resolved URL of a chat client library, one a line.
const HOOKS = `export async function resolve(s, c, next) { const r = await next(s, c); if (/\\/node_modules\\/(discord\\.js|@slack\\/bolt)\\//.test(r.url)) console.log('LOADED ' + r.url); return r; }`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

async function loadedLibraries(script: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd() });
  return [...new Set(stdout.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => /node_modules\/(discord\.js|@slack\/bolt)\//.exec(l)?.[1] ?? l))];
}

// Child processes that compile TypeScript through tsx: seconds each on a busy machine.
describe('platform modules load their client library lazily', { timeout: 60_000 }, () => {
  it('config, the registry and app.ts load neither discord.js nor @slack/bolt', async () => {
    const script = `
      const { parseConfig } = await import('./src/config/index.ts');
      await import('./src/app.ts');
      const c = parseConfig({ DISCORD_TOKEN: 't', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
      if (!c.platforms.discord || !c.platforms.slack) throw new Error('not configured');`;
    expect(await loadedLibraries(script)).toEqual([]);
  });

  it("a platform's adapter module loads its own library and not another's", async () => {
    expect(await loadedLibraries(`await import('./src/platforms/slack/index.ts');`)).toEqual(['@slack/bolt']);
    expect(await loadedLibraries(`await import('./src/platforms/discord/index.ts');`)).toEqual(['discord.js']);
  });
});
