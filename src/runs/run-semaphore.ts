/**
 * A counting semaphore in Redis that bounds a run's model calls across every worker
 * (job-slice-lease.ts). Per run: a sorted set of held slots scored by their expiry (Redis server
 * time, ms), a sorted set of the jobs executing the run, and a `wake` list; the scripts are
 * sent by EVALSHA (run-semaphore-scripts.ts). Holders renew their slots on the lease heartbeat,
 * so the slots of a killed worker free themselves after the TTL.
 *
 * Each job takes at most its share of the run's concurrency at once: ⌈concurrency ÷ jobs of the
 * run⌉ (learned from Redis on every try and heartbeat), so the callers waiting in Redis are
 * about as many as the slots, not jobs × concurrency. A waiting call does not poll: its process
 * blocks on the run's `wake` list, pushed on every release (run-slots.ts). An item costs about
 * two commands (acquire, release); a slot freed in a process with waiting calls is handed on
 * without any.
 *
 * Redis unavailable (an outage, a restart, a flush) is waited out: acquiring retries until
 * Redis answers again or the caller aborts, so an outage pauses a run's model calls instead of
 * failing the run. A flush forgets the held slots; they are taken again as calls finish.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { closeRedisClient } from './dependency-outage.js';
import { defineSlotCommands, type SlotCommands } from './run-semaphore-scripts.js';
import { abortReason, RunSlots } from './run-slots.js';

/** One job's use of its run's slots: at most its share at once. */
export class JobSlots {
  readonly id = randomUUID();
  private inFlight = 0;
  private limit = 1;
  private readonly gate = new Set<() => void>();
  private readonly open = (): void => {
    for (const wake of [...this.gate]) wake();
  };

  constructor(
    private readonly run: RunSlots,
    private readonly onLeave: () => void,
  ) {
    run.jobs.add(this.id);
    run.onLiveJobs.add(this.open);
  }

  /** ⌈limit ÷ jobs of the run⌉; 1 until the run's jobs are known (the first try tells). */
  get share(): number {
    const live = this.run.liveJobs;
    return live <= 0 ? 1 : Math.max(1, Math.ceil(this.limit / live));
  }

  /**
   * Waits for one of the run's `limit` slots; resolves with its release function (idempotent).
   * Rejects with the signal's reason when aborted while waiting.
   */
  async acquire(limit: number, signal: AbortSignal): Promise<() => void> {
    this.limit = limit;
    while (this.inFlight >= this.share) await this.waitGate(signal);
    this.inFlight++;
    let token: string;
    try {
      token = await this.run.acquire(this.id, limit, signal);
    } catch (error) {
      this.inFlight--;
      this.open();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.run.release(token);
      this.open();
    };
  }

  /** The job ends: it no longer counts towards the run's jobs. */
  leave(): void {
    this.run.onLiveJobs.delete(this.open);
    this.onLeave();
  }

  private waitGate(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        this.gate.delete(done);
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.gate.delete(done);
        reject(abortReason(signal));
      };
      this.gate.add(done);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export class RunSemaphore {
  private readonly redis: Redis & SlotCommands;
  private readonly runs = new Map<string, RunSlots>();

  /** `ttlMs`: how long a slot (and a job's registration) lasts without a renewal. */
  constructor(
    url: string,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    const redis = new Redis(url, { maxRetriesPerRequest: 3 });
    redis.on('error', () => undefined);
    this.redis = defineSlotCommands(redis);
  }

  /** A job of the run starts: its handle on the run's slots. Call `leave` when it ends. */
  join(runId: string): JobSlots {
    let run = this.runs.get(runId);
    if (run === undefined) {
      const key = `${this.prefix}:run-slots:${runId}`;
      run = new RunSlots(
        this.redis,
        { slots: key, jobs: `${key}:jobs`, wake: `${key}:wake` },
        this.ttlMs,
      );
      this.runs.set(runId, run);
    }
    const slots = run;
    const job = new JobSlots(slots, () => {
      slots.leave(job.id);
      this.redis.zrem(`${this.prefix}:run-slots:${runId}:jobs`, job.id).catch(() => undefined);
      if (slots.jobs.size === 0) {
        slots.close();
        this.runs.delete(runId);
      }
    });
    return job;
  }

  /** Extends every slot and job this process holds for the run. */
  async renew(runId: string): Promise<void> {
    await this.runs.get(runId)?.renew();
  }

  /** Quits, or disconnects when Redis does not answer within a second (an outage). */
  async close(): Promise<void> {
    for (const run of this.runs.values()) run.close();
    this.runs.clear();
    await closeRedisClient(this.redis, 1000);
  }
}
