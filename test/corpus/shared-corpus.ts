// Where the shared corpus is, and describe() for tests that need it: a fresh clone has no
// ../shared, so those tests skip with a visible notice there, and fail when CI=true (where
// .ci/run always has a copy beside the clone), so a missing corpus cannot pass unseen.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const CORPUS = `${process.env.HERALD_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url))}/`;

export interface CorpusEntry {
  file: string;
  format: string;
  contentType: string;
  itemCount: number;
  newest: { title: string | null; link: string | null }[];
}

export const corpusPresent = existsSync(`${CORPUS}manifest.json`);

/** The manifest, or [] when the corpus is absent (the suite is skipped or failed then). */
export function corpusManifest(): CorpusEntry[] {
  return corpusPresent ? (JSON.parse(readFileSync(`${CORPUS}manifest.json`, 'utf8')) as CorpusEntry[]) : [];
}

export function describeCorpus(title: string, body: () => void): void {
  if (corpusPresent) describe(title, body);
  else if (process.env.CI === 'true') {
    describe(title, () => {
      it('needs ../shared/corpus (required when CI=true)', () => {
        throw new Error(`no corpus at ${CORPUS}manifest.json; CI lays shared/ beside the clone (or set HERALD_CORPUS)`);
      });
    });
  } else {
    console.warn(`NOTICE: skipping "${title}": no corpus at ${CORPUS}manifest.json (a fresh clone has no ../shared). Set HERALD_CORPUS to run it.`);
    describe.skip(title, body);
  }
}
