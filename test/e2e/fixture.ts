// The set-up the in-process end-to-end suites share: one feed server per file, a fresh fake
// platform and temp database per test, and the Herald a test started stopped after it.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { HeraldApp } from '../../src/app.js';
import { violationReport, type Violation } from '../fakes/discord/openapi.js';
import { FeedServer, type TestItem } from '../fakes/feed-server.js';
import { runHerald, tempSqlite, type TempDb } from './harness.js';

/**
 * What a fake Discord found invalid against Discord's OpenAPI description, as one message,
 * or undefined. Any harness that starts the fake calls this after its test.
 */
export function openApiViolationsOf(platform: unknown): string | undefined {
  return violationReport((platform as { openApiViolations?: Violation[] } | undefined)?.openApiViolations);
}

/** Item n of a test feed: dated 2026-01-n, so a higher n is newer. */
export const item = (n: number, title = `Item ${n}`): TestItem => ({ title, link: `https://example.com/${n}`, guid: `guid-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)) });
/** Items from..to, newest first, as a feed lists them. */
export const items = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => item(to - i));

export interface HeraldWorld<P> {
  /** Started once for the file (unless `feeds: false`). */
  readonly feeds: FeedServer;
  /** The fake platform, started afresh for each test. */
  readonly platform: P;
  /** A temp SQLite database, fresh for each test. */
  readonly db: TempDb;
  /** The Herald under test; stopped after each test if set. */
  app: HeraldApp | undefined;
  /** runHerald, remembering the app so that it is stopped after the test. */
  run(env: Record<string, string>, opts?: Parameters<typeof runHerald>[1]): Promise<HeraldApp>;
  /** Runs after this test's Herald stopped and before the platform stops (for fakes a test starts itself). */
  onTeardown(fn: () => unknown): void;
}

/**
 * Registers the vitest hooks of a suite: feed server (beforeAll/afterAll), platform and
 * temp database (beforeEach), and after each test: Herald stopped, teardowns, platform
 * stopped, database removed. Call it inside `describe`.
 */
export function useHerald<P extends { stop(): Promise<void> }>(startPlatform: () => Promise<P>, options: { feeds?: boolean } = {}): HeraldWorld<P> {
  let feeds: FeedServer | undefined;
  let platform: P | undefined;
  let db: TempDb | undefined;
  const teardowns: (() => unknown)[] = [];
  const ready = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`useHerald: no ${what} here (outside a test, or not asked for)`);
    return v;
  };

  const world: HeraldWorld<P> = {
    get feeds() {
      return ready(feeds, 'feed server');
    },
    get platform() {
      return ready(platform, 'platform');
    },
    get db() {
      return ready(db, 'database');
    },
    app: undefined,
    async run(env, opts) {
      return (world.app = await runHerald(env, opts));
    },
    onTeardown(fn) {
      teardowns.push(fn);
    },
  };

  if (options.feeds !== false) {
    beforeAll(async () => {
      feeds = await new FeedServer().start();
    });
    afterAll(async () => feeds?.stop());
  }
  beforeEach(async () => {
    platform = await startPlatform();
    db = tempSqlite();
  });
  afterEach(async () => {
    await world.app?.stop();
    world.app = undefined;
    for (const fn of teardowns.splice(0)) await fn();
    const invalid = openApiViolationsOf(platform);
    await platform?.stop();
    db?.cleanup();
    platform = undefined;
    db = undefined;
    // After the clean-up, so a failing test still leaves nothing running.
    if (invalid) throw new Error(invalid);
  });
  return world;
}
