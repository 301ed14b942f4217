/** Builds dist/ unless (ifStale) it already holds these sources. False when there are no sources (an image). */
export function ensureBuilt(opts?: { ifStale?: boolean }): Promise<boolean>;
