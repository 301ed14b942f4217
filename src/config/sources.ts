// Where settings come from, strongest first: the process environment, then a .env
// file, then a JSON config file (HERALD_CONFIG, default config/herald.json).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export type RawSettings = Record<string, string | undefined>;

function readDotEnv(path: string): RawSettings {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as RawSettings;
}

function readConfigFile(path: string, required: boolean): RawSettings {
  if (!existsSync(path)) {
    if (required) throw new Error(`HERALD_CONFIG: file ${path} does not exist`);
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`HERALD_CONFIG: ${path} is not valid JSON (${(err as Error).message})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`HERALD_CONFIG: ${path} must hold a JSON object of "SETTING": value pairs`);
  }
  const out: RawSettings = {};
  for (const [k, v] of Object.entries(data)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

export interface CollectedSettings {
  settings: RawSettings;
  /** Setting → the file it came from; absent for the process environment. */
  origins: Record<string, string>;
}

/** The settings and, for error messages, which file each one came from. */
export function collectSettingsWithOrigins(env: RawSettings = process.env, cwd = process.cwd()): CollectedSettings {
  const configPath = env.HERALD_CONFIG ?? join(cwd, 'config', 'herald.json');
  const fromFile = readConfigFile(configPath, env.HERALD_CONFIG !== undefined);
  const dotEnvPath = join(cwd, '.env');
  const fromDotEnv = env.HERALD_DOTENV === 'false' ? {} : readDotEnv(dotEnvPath);
  const merged: RawSettings = { ...fromFile, ...fromDotEnv };
  const origins: Record<string, string> = {};
  for (const k of Object.keys(fromFile)) origins[k] = configPath;
  for (const k of Object.keys(fromDotEnv)) origins[k] = dotEnvPath;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    merged[k] = v;
    delete origins[k];
  }
  // An empty value means "unset", as with `FOO=` lines in compose env files.
  for (const [k, v] of Object.entries(merged)) if (v === '') delete merged[k];
  return { settings: merged, origins };
}
