// Where the shared corpus is, and describe() for tests that need it: a fresh clone has no
// ../shared, so those tests skip with a visible notice there, and fail when CI=true (where
// .ci/run always has a copy beside the clone), so a missing corpus cannot pass unseen.
import { readFileSync } from 'node:fs';
import { describeNeeds } from '../support/needs.js';
import { needsShared, sharedPath } from '../support/shared-dir.js';

export const CORPUS = `${sharedPath('corpus', 'HERALD_CORPUS')}/`;
export interface CorpusEntry {
  file: string;
  format: string;
  contentType: string;
  itemCount: number;
  newest: { title: string | null; link: string | null }[];
}

/** undefined when the corpus is here; see needs.ts. */
export const corpusMissing = needsShared(`${CORPUS}manifest.json`, 'the shared feed corpus', 'HERALD_CORPUS');
export const corpusPresent = corpusMissing === undefined;

/** The manifest, or [] when the corpus is absent (the suite is skipped or failed then). */
export function corpusManifest(): CorpusEntry[] {
  return corpusPresent ? (JSON.parse(readFileSync(`${CORPUS}manifest.json`, 'utf8')) as CorpusEntry[]) : [];
}

export function describeCorpus(title: string, body: () => void): void {
  describeNeeds(corpusMissing, title, body);
}
