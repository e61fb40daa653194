/**
 * Group commit for run results: results that complete close together are written in one
 * multi-row INSERT (and one update of the run's kept totals), and each `write` resolves only
 * after its row is stored. Every result is still persisted before anyone hears of it; the batch
 * only removes statements, round trips and a WAL append per row, which is what limits a run at
 * high concurrency (bench/run-throughput) and most of a worker's CPU per item at low rates
 * (bench/run-scale).
 *
 * A batch starts when the first result waits `lingerMs` (0: at the event loop's check phase,
 * after every result of the same turn), when `MAX_BATCH` results wait, or on `flushNow` (no more
 * results are coming soon); results arriving while a batch is written form the next one at once.
 * The linger delays when a result is stored and published, never a model call: the caller's
 * concurrency slot is free before it writes.
 */
import type { RunResult } from './run-schema.js';

/** Rows of one statement; 24 columns × 200 rows stays far below SQLite's 32,766 parameters. */
const MAX_BATCH = 200;

interface Pending {
  readonly result: RunResult;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

export class ResultWriter {
  private queue: Pending[] = [];
  /** A batch is due (its timer or immediate is set) or being written. */
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;

  /**
   * `insertMany` stores the results (the run store's `recordResults`), skipping items that
   * already have one; returns the ids it wrote. `lingerMs`: how long the first waiting result
   * waits for others before its batch is written, in milliseconds (0: the same turn only).
   */
  constructor(
    private readonly insertMany: (results: readonly RunResult[]) => Promise<Set<string>>,
    private readonly lingerMs = 0,
  ) {}

  /** Resolves true once the result is stored, false if its item already had a result. */
  write(result: RunResult): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ result, resolve, reject });
      if (this.queue.length >= MAX_BATCH) this.flushNow();
      else if (!this.scheduled) {
        this.scheduled = true;
        if (this.lingerMs > 0) this.timer = setTimeout(() => void this.flush(), this.lingerMs);
        else setImmediate(() => void this.flush());
      }
    });
  }

  /** Writes the waiting results without waiting out the linger (a pool has no more items). */
  flushNow(): void {
    if (this.timer !== undefined) void this.flush();
    else if (!this.scheduled && this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, MAX_BATCH);
      this.queue = this.queue.slice(batch.length);
      try {
        const written = await this.insertMany(batch.map((p) => p.result));
        for (const pending of batch) pending.resolve(written.has(pending.result.id));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.scheduled = false;
  }
}
