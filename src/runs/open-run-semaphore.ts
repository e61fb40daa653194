/**
 * A `RunSemaphore` (run-semaphore.ts) made on demand: the module and ioredis load on the first
 * call, so a process without Redis (the CLI's embedded engine) never evaluates them (~15 ms of
 * CPU at start-up).
 */
import type { RunSemaphore } from './run-semaphore.js';

/**
 * @param url Redis URL (`REDIS_URL`)
 * @param prefix key prefix (`RUN_QUEUE_PREFIX`)
 * @param ttlMs how long a slot lasts without a renewal, milliseconds
 */
export async function openRunSemaphore(
  url: string,
  prefix: string,
  ttlMs: number,
): Promise<RunSemaphore> {
  const { RunSemaphore: Semaphore } = await import('./run-semaphore.js');
  return new Semaphore(url, prefix, ttlMs);
}
