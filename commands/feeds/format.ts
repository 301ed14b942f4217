// Small text helpers shared by the /feeds replies.

/** "A", "A and B", "A, B and 3 more": lists that stay one line long. */
export function names(list: string[], max = 5): string {
  if (list.length <= 1) return list[0] ?? '';
  const shown = list.slice(0, max);
  const rest = list.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** ISO time without milliseconds, or a word when there is none. */
export function isoTime(ms: number | undefined, none = 'never'): string {
  return ms === undefined ? none : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Caps a list of lines, saying how many were left out. */
export function capLines(lines: string[], max: number): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), `…and ${lines.length - max} more`];
}
