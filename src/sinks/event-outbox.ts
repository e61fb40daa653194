/**
 * The outbox writer: the `RunOutbox` the run store calls inside its transactions. Each change
 * becomes one `event_outbox` row holding the complete CloudEvent, so a retry re-sends the
 * very same bytes (and id). `seq` orders delivery: the transaction's epoch milliseconds × 1000
 * plus a counter within the millisecond (exact in double precision until the year 2255).
 */
import type { Kysely } from 'kysely';
import type { Database, EventOutboxTable } from '../db/index.js';
import type { RunOutbox, RunStateChange } from '../runs/index.js';
import { toCloudEvent } from './cloud-event.js';

export class EventOutbox implements RunOutbox {
  private lastMs = 0;
  private counter = 0;

  /** `source` is the CloudEvents source; `onCommit` wakes the relay. */
  constructor(
    private readonly source: string,
    private readonly onCommit: () => void = () => undefined,
  ) {}

  async append(db: Kysely<Database>, changes: readonly RunStateChange[]): Promise<void> {
    if (changes.length === 0) return;
    const now = new Date();
    const rows: EventOutboxTable[] = changes.map((change) => {
      const event = toCloudEvent(change, this.source, now);
      return {
        id: event.id,
        seq: this.nextSeq(now.getTime()),
        subject: event.subject,
        type: event.type,
        event: JSON.stringify(event),
        created_at: event.time,
        sent_at: null,
      };
    });
    await db.insertInto('event_outbox').values(rows).execute();
  }

  committed(): void {
    try {
      this.onCommit();
    } catch {
      // Waking the relay is an optimisation; it polls anyway.
    }
  }

  private nextSeq(ms: number): number {
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.counter = 0;
    } else {
      // Same millisecond (or a clock step back): keep increasing.
      this.counter++;
      if (this.counter >= 1000) {
        this.lastMs++;
        this.counter = 0;
      }
    }
    return this.lastMs * 1000 + this.counter;
  }
}
