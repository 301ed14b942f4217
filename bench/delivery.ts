// `npm run bench:delivery`: a burst of 1,000 items into 100 channels at the platforms' limits.
// Prints elapsed time over the theoretical minimum and the share of 429 answers.
import { benchDiscord } from './lib/discord.js';
import { benchSlack } from './lib/slack.js';
import { report, type SqliteMode } from './lib/setup.js';

async function main() {
  const started = Date.now();
  const arg = process.argv[2];
  const modes: SqliteMode[] = arg === 'shipped' || arg === 'wal' ? [arg] : ['wal', 'shipped'];
  for (const sqlite of modes) {
    report(await benchDiscord({ channels: 100, perChannel: 10, sqlite }));
    report(await benchSlack({ channels: 100, perChannel: 10, sqlite }));
  }
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
