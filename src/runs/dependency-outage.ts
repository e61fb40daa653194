/**
 * Telling a dependency's outage from a real failure, and bounding what waits on Redis.
 *
 * - `isRedisUnavailable(error)`: an ioredis/BullMQ error that means "Redis cannot serve now"
 *   (the client gave up retrying a command, the connection is closed or refused, the server is
 *   loading, read-only or shutting down) rather than "this command is wrong".
 * - `isDependencyUnavailable(error)`: that, or the database unavailable or full (db/). A run that hits
 *   one is retried or ends `interrupted` (resumable), never `failed`.
 * - `withDeadline(promise, ms)`: the promise's value, or `timedOut` after `ms` milliseconds
 *   (the promise keeps running; its later rejection is swallowed).
 */
import { isDatabaseFull, isDatabaseUnavailable } from '../db/index.js';

const REDIS_MESSAGES = [
  'Reached the max retries per request limit',
  'Connection is closed',
  "Stream isn't writeable",
  'Command timed out',
  'Connection in subscriber mode',
  'LOADING',
  'READONLY',
  'MASTERDOWN',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'Redis is unavailable',
];

export function isRedisUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof AggregateError && error.errors.some(isRedisUnavailable)) return true;
  if (error instanceof Error && error.name === 'MaxRetriesPerRequestError') return true;
  const message = error instanceof Error ? error.message : '';
  return REDIS_MESSAGES.some((known) => message.includes(known));
}

export function isDependencyUnavailable(error: unknown): boolean {
  // A full disk is an outage too: the run ends resumable and continues once space is freed.
  return isDatabaseUnavailable(error) || isDatabaseFull(error) || isRedisUnavailable(error);
}

export const timedOut: unique symbol = Symbol('timed out');

export async function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | typeof timedOut> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), ms);
    timer.unref();
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** An ioredis client's QUIT, or a hard disconnect when Redis does not answer within `ms`. */
export async function closeRedisClient(
  client: { quit(): Promise<unknown>; disconnect(): void },
  ms: number,
): Promise<void> {
  const quit = await withDeadline(
    client.quit().then(
      () => true,
      () => false,
    ),
    ms,
  );
  if (quit !== true) client.disconnect();
}
