// Uptime and lateness as people read them, for /feeds status (src/application/status.ts
// collects the numbers; this only words one of them).

/** "3d 4h", "5h 2m", "42s": enough precision for an uptime line. */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
