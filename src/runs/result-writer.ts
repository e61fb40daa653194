/**
 * Group commit for run results: results that complete in the same turn of the event loop
 * are written in one multi-row INSERT, and each `write` resolves only after its row is stored.
 * Every result is still persisted before anyone hears of it; the batch only removes a
 * statement and a WAL append per row, which is what limits a run at high concurrency
 * (bench/run-throughput).
 */
import type { RunResultTable } from '../db/index.js';

/** Rows of one statement; 24 columns × 200 rows stays far below SQLite's 32,766 parameters. */
const MAX_BATCH = 200;

interface Pending {
  readonly row: RunResultTable;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

export class ResultWriter {
  private queue: Pending[] = [];
  private scheduled = false;

  /** `insertMany` writes the rows, skipping items that already have a result; returns the ids it wrote. */
  constructor(
    private readonly insertMany: (rows: readonly RunResultTable[]) => Promise<Set<string>>,
  ) {}

  /** Resolves true once the row is stored, false if its item already had a result. */
  write(row: RunResultTable): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
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
        const written = await this.insertMany(batch.map((p) => p.row));
        for (const pending of batch) pending.resolve(written.has(pending.row.id));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.scheduled = false;
  }
}
