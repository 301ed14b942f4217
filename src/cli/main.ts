// The `herald` command line (bin/herald.js runs it): tools for operators that need no chat
// platform. Output meant for files (export) goes to stdout; messages go to stderr.
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { stripControls } from './terminal.js';
import { UserError } from '../domain/errors.js';
import { plainReplyText } from '../domain/reply-text.js';
import { FetchError } from '../core/fetch/errors.js';
import { allowPrivateHint } from '../core/fetch/private-hint.js';
import { redactUrl } from '../store/open-keyv.js';
import { VERSION } from '../version.js';

const HELP = `Herald ${VERSION}: forwards RSS, Atom and JSON feed items into Discord and Slack.

Usage:
  herald preview <url>          Fetch a feed and print its newest 3 items as Herald would post them
  herald export > backup.json   Write every subscription and feed state in DATABASE_URL as JSON
                                (refuses a SQLite file that does not exist; --allow-empty to export nothing)
  herald import < backup.json   Merge a backup made by "herald export" into DATABASE_URL
                                (or: herald import backup.json); stop Herald first
  herald help                   Show this text
  herald --version              Print the version

Settings come from the environment, .env and HERALD_CONFIG, as for "npm start"; no chat
token is needed. preview honours ALLOWED_PRIVATE_NETWORKS and FEED_MAX_BYTES.
To run the bot itself use "npm start" (or the container image).
`;

/** Whoever runs the CLI is the operator: a refused private address gets the setting to allow it. */
async function withOperatorHint(err: unknown): Promise<never> {
  const cause = err instanceof UserError ? err.cause : undefined;
  if (cause instanceof FetchError && cause.kind === 'blocked-address') throw new UserError(`${err instanceof Error ? err.message : ''}\n${allowPrivateHint(cause.message)}`);
  throw err;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UserError('herald import reads the backup from standard input: herald import < backup.json');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function exportStore(config: Config, args: string[]): Promise<void> {
  const [{ createStore }, { exportBackup }, { sqlitePath, storeKind }] = await Promise.all([import('../store/index.js'), import('../store/backup.js'), import('../store/open-keyv.js')]);
  // Opening a SQLite path creates the file: a mistyped DATABASE_URL would export an empty
  // backup and exit 0, which looks like success in a backup script.
  if (storeKind(config.DATABASE_URL) === 'sqlite' && !args.includes('--allow-empty')) {
    const path = sqlitePath(config.DATABASE_URL);
    if (path !== ':memory:' && !existsSync(path)) {
      throw new UserError(`No database at ${path} (DATABASE_URL=${redactUrl(config.DATABASE_URL)}): nothing to export. Check DATABASE_URL and the working directory, or pass --allow-empty to export an empty store.`);
    }
  }
  const store = await createStore(config.DATABASE_URL);
  try {
    // Reading needs no lease: export works next to a running Herald.
    const doc = await exportBackup(store);
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    // A mistyped DATABASE_URL opens (and creates) an empty store: say so rather than export nothing silently.
    if (!doc.feeds.length && !doc.subscriptions.length) console.error(`Note: ${redactUrl(config.DATABASE_URL)} holds no feeds or subscriptions.`);
  } finally {
    await store.close();
  }
}

async function importStore(config: Config, file: string | undefined): Promise<void> {
  const text = file ? readFileSync(file, 'utf8') : await readStdin();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UserError(`The backup is not valid JSON: ${(err as Error).message}`);
  }
  const [{ createStore }, { importBackup, parseBackup }, { LeaseHeldError }] = await Promise.all([
    import('../store/index.js'),
    import('../store/backup.js'),
    import('../store/lease.js'),
  ]);
  // Checked before the store is opened (or created) for a file that is no backup at all.
  const backup = parseBackup(doc);
  const store = await createStore(config.DATABASE_URL);
  try {
    const r = await importBackup(store, backup);
    console.error(
      `Imported into ${redactUrl(config.DATABASE_URL)}: ${r.feeds} feed(s), ${r.subscriptions} subscription(s)` +
        `${r.skipped ? ` (${r.skipped} already there or without their feed, skipped)` : ''}, ${r.deliveries} pending deliveries.`,
    );
  } catch (err) {
    // importBackup takes the instance lease: a running Herald would overwrite the import.
    if (err instanceof LeaseHeldError) throw new UserError(`${err.message}\nStop Herald before importing, then start it again.`);
    throw err;
  } finally {
    await store.close();
  }
}

async function runCli(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(HELP);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const config = loadConfig({ requirePlatform: false });
    switch (cmd) {
      case 'preview': {
        // Loaded on demand: help and the store commands need none of the feed pipeline.
        const { previewFeed, PREVIEW_USAGE } = await import('./preview.js');
        const url = rest[0];
        if (url === '--help' || url === '-h' || url === 'help') {
          process.stdout.write(PREVIEW_USAGE);
          return 0;
        }
        if (!url) throw new UserError(PREVIEW_USAGE.trimEnd());
        process.stdout.write(await previewFeed(config, url).catch(withOperatorHint));
        return 0;
      }
      case 'export':
        await exportStore(config, rest);
        return 0;
      case 'import':
        await importStore(config, rest[0]);
        return 0;
      default:
        console.error(`Unknown command "${cmd}".\n`);
        process.stderr.write(HELP);
        return 2;
    }
  } catch (err) {
    if (err instanceof UserError || err instanceof ConfigError) {
      // Messages can quote feed text (a title, a parse error): keep it from driving the terminal,
      // and drop the reply-span marks meant for chat platforms.
      console.error(stripControls(plainReplyText(err.message)));
      return 1;
    }
    throw err;
  }
}

runCli(process.argv.slice(2)).then(
  // Exit only once stdout is flushed: `herald export > file` must not lose its tail.
  (code) => void process.stdout.write('', () => process.exit(code)),
  (err: unknown) => {
    console.error(`herald: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
