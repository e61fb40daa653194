/**
 * One run's slots as seen from one process (run-semaphore.ts): the tokens it holds, the jobs
 * of the run it executes, and its calls waiting for a slot, first come first served.
 *
 * A call tries once (one EVALSHA); when every slot is held it queues here, and one watcher per
 * run and process blocks on the run's `wake` list (BLPOP on a connection of its own) and tries
 * again for the head of the queue each time a slot is released anywhere, or after a timeout
 * (so the slot of a crashed holder is taken once it has expired). A slot released here while
 * calls of this process wait is handed to the first of them without a Redis command; one released
 * while none waits is kept until the event loop's check phase (setImmediate), so the call its
 * pool starts next takes it without a command either (an item costs no Redis command at all
 * while its process keeps calling), and only a slot nobody here took by then goes back to Redis.
 * Redis unavailable: the watcher retries every 200 ms until Redis answers or the call aborts.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isRedisUnavailable } from './dependency-outage.js';
import type { SlotCommands } from './run-semaphore-scripts.js';

/** How long the watcher waits between tries while Redis is unavailable, in milliseconds. */
const OUTAGE_DELAY_MS = 200;

export interface RunSlotKeys {
  readonly slots: string;
  readonly jobs: string;
  readonly wake: string;
}

interface Waiter {
  readonly jobId: string;
  readonly grant: (token: string) => void;
  readonly fail: (error: Error) => void;
}

/** The reason an aborted signal gives (an Error, as `throwIfAborted` would throw it). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RunSlots {
  /** Slot tokens this process holds (in use, or spare until the check phase). */
  readonly held = new Set<string>();
  /** Held tokens no call uses: taken by the next `acquire`, else given back to Redis. */
  private readonly spare: string[] = [];
  private returning = false;
  /** Jobs that have tried in Redis (registered among the run's jobs): only they take spares. */
  private readonly tried = new Set<string>();
  /** Ids of this process's jobs of the run. */
  readonly jobs = new Set<string>();
  /** Jobs of the run across processes, as last answered by Redis (0: not known yet). */
  liveJobs = 0;
  /** Called whenever `liveJobs` changes. */
  readonly onLiveJobs = new Set<() => void>();
  private readonly waiters: Waiter[] = [];
  private limit = 1;
  private watching = false;
  private closed = false;
  private blocker: Redis | undefined;

  constructor(
    private readonly redis: Redis & SlotCommands,
    private readonly keys: RunSlotKeys,
    private readonly ttlMs: number,
  ) {}

  /** Waits for one of the run's `limit` slots; resolves with its token. */
  async acquire(jobId: string, limit: number, signal: AbortSignal): Promise<string> {
    signal.throwIfAborted();
    this.limit = limit;
    if (this.waiters.length === 0) {
      // A job's first call goes to Redis, which counts it among the run's jobs (their shares).
      const kept = this.tried.has(jobId) ? this.spare.pop() : undefined;
      if (kept !== undefined) return kept;
      const token = await this.try(jobId).catch((error: unknown) => {
        if (isRedisUnavailable(error)) return undefined;
        throw error;
      });
      if (token !== undefined && signal.aborted) this.release(token);
      signal.throwIfAborted();
      if (token !== undefined) return token;
    }
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(abortReason(signal));
      };
      const waiter: Waiter = {
        jobId,
        grant: (token) => {
          signal.removeEventListener('abort', onAbort);
          resolve(token);
        },
        fail: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.watch();
    });
  }

  /** Gives the slot to the first waiting call of this process, or back to Redis. */
  release(token: string): void {
    if (!this.held.has(token) || this.spare.includes(token)) return;
    const next = this.waiters.shift();
    if (next !== undefined) {
      next.grant(token);
      return;
    }
    this.spare.push(token);
    if (this.returning) return;
    this.returning = true;
    setImmediate(() => {
      this.returning = false;
      this.returnSpare();
    });
  }

  /** Extends the held slots and this process's jobs; learns how many jobs the run has. */
  async renew(): Promise<void> {
    if (this.jobs.size === 0 && this.held.size === 0) return;
    const { slots, jobs } = this.keys;
    const live = await this.redis.pcsSlotRenew(
      slots,
      jobs,
      this.ttlMs,
      this.jobs.size,
      ...this.jobs,
      ...this.held,
    );
    this.learn(live);
  }

  /** A job of this process ended: it no longer counts here. */
  leave(jobId: string): void {
    this.jobs.delete(jobId);
    this.tried.delete(jobId);
  }

  /** Gives the spare slots back to Redis (one EVALSHA each), waking a waiter per slot. */
  private returnSpare(): void {
    const { slots, wake } = this.keys;
    for (const token of this.spare.splice(0)) {
      this.held.delete(token);
      // Not released (Redis down): the slot expires after the TTL.
      this.redis.pcsSlotRelease(slots, wake, token, this.limit, this.ttlMs).catch(() => undefined);
    }
  }

  /** Stops waiting: queued calls fail, spare slots go back, the watcher's connection closes. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.fail(new Error('run semaphore closed'));
    this.blocker?.disconnect();
    this.blocker = undefined;
  }

  /** One EVALSHA: the token when a slot was free. */
  private async try(jobId: string): Promise<string | undefined> {
    const token = randomUUID();
    this.tried.add(jobId);
    const [got, live] = await this.redis.pcsSlotAcquire(
      this.keys.slots,
      this.keys.jobs,
      this.limit,
      this.ttlMs,
      token,
      jobId,
    );
    this.learn(live);
    if (got !== 1) return undefined;
    this.held.add(token);
    return token;
  }

  private learn(live: number): void {
    if (live === this.liveJobs) return;
    this.liveJobs = live;
    for (const listener of this.onLiveJobs) listener();
  }

  private watch(): void {
    if (this.watching || this.closed) return;
    this.watching = true;
    void this.serve().finally(() => {
      this.watching = false;
      if (this.waiters.length > 0) this.watch();
    });
  }

  /** Serves the queue: a try for its head after each wake-up, until it is empty. */
  private async serve(): Promise<void> {
    const seconds = Math.max(0.1, Math.min(1, this.ttlMs / 2000));
    while (this.waiters.length > 0 && !this.closed) {
      const head = this.waiters[0];
      if (head === undefined) break;
      let token: string | undefined;
      try {
        token = await this.try(head.jobId);
      } catch (error) {
        if (isRedisUnavailable(error)) await sleep(OUTAGE_DELAY_MS);
        else this.waiters.shift()?.fail(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (token !== undefined) {
        // The head may have aborted meanwhile: the slot goes to whoever is first now.
        this.release(token);
        continue;
      }
      if (this.blocker === undefined) {
        this.blocker = this.redis.duplicate({ maxRetriesPerRequest: 0 });
        this.blocker.on('error', () => undefined);
      }
      await this.blocker.blpop(this.keys.wake, seconds).catch(async () => {
        if (!this.closed) await sleep(OUTAGE_DELAY_MS);
      });
    }
  }
}
