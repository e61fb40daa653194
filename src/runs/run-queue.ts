/**
 * The run queue port: hands accepted runs to an executor. `InProcessRunQueue` executes them in
 * this process (the embedded default); `BullRunQueue` (bull-run-queue.ts) puts them on Redis
 * for worker processes.
 */
import type { RunExecutor } from './run-executor.js';

export interface QueuedRun {
  readonly id: string;
  readonly total_items: number;
}

export interface RunQueue {
  /** True when the queue executes runs in this process (accepted runs are leased at once). */
  readonly inProcess: boolean;
  /**
   * Resolves once the run is handed over (durably, for a shared queue), or, for a shared queue
   * whose store does not answer within its bound, with the hand-over pending (`lost` then
   * reports the run until it arrives, and the sweep enqueues it again).
   */
  enqueue(run: QueuedRun): Promise<void>;
  /** Shared queue: of these active, unexecuted runs, those the queue does not hold. */
  lost?(runIds: readonly string[]): Promise<string[]>;
  /** Shared queue: enqueues a lost run again unless another process just did; true if it did. */
  requeue?(run: QueuedRun): Promise<boolean>;
  /** Jobs waiting and the age of the oldest, for metrics; undefined when not known. */
  backlog(): Promise<{ items: number; oldestAgeSeconds: number }>;
  close(): Promise<void>;
}

export class InProcessRunQueue implements RunQueue {
  readonly inProcess = true;

  constructor(private readonly executor: RunExecutor) {}

  enqueue(run: QueuedRun): Promise<void> {
    // The execution's end is observed by the executor (status, logs); nobody awaits it here.
    void this.executor.execute(run.id);
    return Promise.resolve();
  }

  backlog(): Promise<{ items: number; oldestAgeSeconds: number }> {
    return Promise.resolve({ items: this.executor.queuedItemCount(), oldestAgeSeconds: 0 });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
