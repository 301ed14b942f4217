// Opening a store: fail fast and name DATABASE_URL without its password; close so the
// process can exit; report backend errors after start instead of crashing.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { redactUrl, scrubUrl, sqlitePath } from '../../src/store/open-keyv.js';
import { allBackends, describeBackend, postgresBackend } from './backends.js';

/** Runs the fixture: its output, and how long the child lived on after printing "closed". */
function runOpenClose(url: string, namespace: string): Promise<{ stdout: string; msToExit: number }> {
  const script = fileURLToPath(new URL('./fixtures/open-close.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, namespace], { stdio: ['ignore', 'pipe', 'inherit'] });
  const killer = setTimeout(() => child.kill(), 25_000);
  let closedAt: number | undefined;
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('closed')) closedAt ??= Date.now();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      clearTimeout(killer);
      if (code === 0 && closedAt !== undefined) resolve({ stdout, msToExit: Date.now() - closedAt });
      else reject(new Error(`fixture exited with ${code} (closed printed: ${closedAt !== undefined})`));
    });
  });
}
const backends = await allBackends();
afterAll(() => Promise.all(backends.map((b) => b.cleanup())));

describe('DATABASE_URL handling', () => {
  it('redacts credentials, even with unescaped @ or / in the password', () => {
    expect(redactUrl('postgres://herald:hunter22@db:5432/herald')).toBe('postgres://***@db:5432/herald');
    expect(redactUrl('redis://:p@ss/w@rd@cache:6379/0')).toBe('redis://***@cache:6379/0');
    expect(redactUrl('redis://cache:6379')).toBe('redis://cache:6379');
    expect(redactUrl('sqlite://data/herald.sqlite')).toBe('sqlite://data/herald.sqlite');
    expect(scrubUrl('bad input postgres://u:hunter22@x/db; pw hunter22', 'postgres://u:hunter22@x/db')).toBe('bad input postgres://***@x/db; pw ***');
    expect(scrubUrl('saw p@ss w0rd', 'redis://u:p%40ss%20w0rd@h')).toBe('saw ***');
  });

  it('maps sqlite URLs to paths', () => {
    expect(sqlitePath('sqlite:///var/lib/herald.sqlite')).toBe('/var/lib/herald.sqlite');
    expect(sqlitePath('sqlite://data/x.sqlite')).toBe(`${process.cwd()}/data/x.sqlite`);
    expect(sqlitePath('sqlite://:memory:')).toBe(':memory:');
  });

  const failing: [string, string][] = [
    ['unknown scheme', 'mysql://u:hunter22@127.0.0.1/db'],
    ['unusable sqlite path', 'sqlite:///etc/hostname/inside-a-file.sqlite'],
    ['refused redis port', 'redis://:hunter22@127.0.0.1:1'],
    ['redis with a bad port', 'redis://u:hunter22@127.0.0.1:notaport'],
    ['refused postgres port', 'postgres://herald:hunter22@127.0.0.1:1/test'],
    ['malformed postgres URL', 'postgres://herald:hunter22@[oops/test'],
  ];
  it.each(failing)('fails fast on %s, naming DATABASE_URL and hiding the password', async (_, url) => {
    const started = Date.now();
    // A connect timeout far above the bound below: failing fast means failing on the refusal
    // itself, not waiting out a timeout, and the generous bound holds on a busy machine.
    const error = await createStore(url, 'never', { connectTimeoutMs: 60_000 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/^DATABASE_URL/);
    expect(error?.message).not.toContain('hunter22');
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('hunter22');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

for (const backend of backends) {
  describeBackend(backend, 'closing the store', () => {
    it('lets the process exit on its own, at once, even after a late write', async () => {
      const { stdout, msToExit } = await runOpenClose(backend.url, backend.namespace());
      expect(stdout).toContain('late write refused');
      // pg's idle timeout would end a forgotten pool after 10 s; "at once" tells them apart, with
      // room for a busy machine's slow process exit.
      expect(msToExit).toBeLessThan(7000);
    });
  });
}

const postgres = await postgresBackend();
describeBackend(postgres, 'a PostgreSQL restart after start', () => {
  it('is reported through onError, and the store reconnects', async () => {
    const app = `herald-test-${process.pid}`;
    const errors: Error[] = [];
    const store = await createStore(`${postgres.url}?application_name=${app}`, postgres.namespace(), { onError: (e) => errors.push(e) });
    try {
      await store.feeds.ensure('https://example.test/a.xml', 1);
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
      await admin.end();
      await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(errors[0]?.message).toMatch(/terminat/i);
      const b = await store.feeds.ensure('https://example.test/b.xml', 2);
      expect(await store.keyv.get(`feed:${b.id}`)).toEqual(b);
    } finally {
      await store.keyv.clear();
      await store.close();
    }
  });
});
