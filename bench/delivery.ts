// `npm run bench:delivery [-- --slack-interval-ms=N]`: a burst of 1,000 items into 100
// channels at the platforms' limits, on a SQLite store opened as Herald opens it.
// Prints elapsed time over the theoretical minimum and the share of 429 answers.
import { benchDiscord } from './lib/discord.js';
import { benchSlack } from './lib/slack.js';
import { report } from './lib/setup.js';

async function main() {
  const started = Date.now();
  const args = process.argv.slice(2);
  const interval = Number(args.find((a) => a.startsWith('--slack-interval-ms='))?.split('=')[1]);
  report(await benchDiscord({ channels: 100, perChannel: 10 }));
  report(await benchSlack({ channels: 100, perChannel: 10, ...(interval > 0 ? { pacerIntervalMs: interval } : {}) }));
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
