// Shutting down a BullMQ worker within a grace period, shared by the poll and drain queues.
import type { Worker } from 'bullmq';

/**
 * Waits up to `graceMs` for the jobs under way, then forces the worker closed: a job left
 * behind loses its lock and another process retries it, so waiting longer gains nothing.
 */
export async function closeWorker(worker: Worker | undefined, graceMs: number): Promise<void> {
  if (!worker) return;
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
  await Promise.race([worker.close(), grace]);
  clearTimeout(timer);
  if (worker.isRunning()) await worker.close(true).catch(() => undefined);
}
