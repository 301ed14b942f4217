// The one error type of configuration. It lives apart from index.ts so a platform's module
// (src/platforms/<name>/platform.ts) can throw it without importing the whole config,
// which imports the platform registry in turn.
export class ConfigError extends Error {}

/** A check across settings failed: the same "Invalid configuration" form as a schema error. */
export function invalidConfig(line: string): ConfigError {
  return new ConfigError(`Invalid configuration:\n- ${line}`);
}
