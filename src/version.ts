import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  homepage: string;
};

export const VERSION = pkg.version;
export const PROJECT_URL = pkg.homepage;
export const USER_AGENT = `Herald/${VERSION} (+${PROJECT_URL})`;
