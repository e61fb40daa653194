/**
 * Group commit for run results: results that complete in the same turn of the event loop
 * are written in one multi-row INSERT, and each `write` resolves only after its row is stored.
 * Every result is still persisted before anyone hears of it; the batch only removes a
 * statement and a WAL append per row, which is what limits a run at high concurrency
 * (bench/run-throughput).
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
  private scheduled = false;

  /**
   * `insertMany` stores the results (the run store's `recordResults`), skipping items that
   * already have one; returns the ids it wrote.
   */
  constructor(
    private readonly insertMany: (results: readonly RunResult[]) => Promise<Set<string>>,
  ) {}

  /** Resolves true once the result is stored, false if its item already had a result. */
  write(result: RunResult): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ result, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
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
