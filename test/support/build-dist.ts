// vitest globalSetup: compiles dist/ once before any worker starts (scripts/build.mjs, about a
// second, skipped when dist/ already holds these sources). Tests that spawn Herald run what
// `npm start` runs, `node dist/src/main.js`, and the CLI's bin/herald.js then finds dist/
// current instead of every fork racing to rebuild it.
import { ensureBuilt } from '../../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await ensureBuilt({ ifStale: true });
}
