import { existsSync, readFileSync } from 'node:fs';

// From src/version.ts the manifest is ../package.json; from the compiled dist/src/version.js it
// is ../../package.json (tsc does not copy it into dist). Try both so either layout runs.
const candidates = ['../package.json', '../../package.json'].map((p) => new URL(p, import.meta.url));
const found = candidates.find((u) => existsSync(u));
if (!found) throw new Error(`package.json not found next to ${import.meta.url}`);

const pkg = JSON.parse(readFileSync(found, 'utf8')) as {
  version: string;
  homepage: string;
};

export const VERSION = pkg.version;
export const PROJECT_URL = pkg.homepage;
export const USER_AGENT = `Herald/${VERSION} (+${PROJECT_URL})`;
