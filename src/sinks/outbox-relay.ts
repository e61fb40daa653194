/**
 * The outbox relay: a background loop that publishes `event_outbox` rows to the `EventSink`
 * in `seq` order, a batch at a time, and marks each batch sent once the sink accepted it.
 * A crash between the sink's acceptance and the mark re-sends the batch on restart (same ids),
 * so delivery is at-least-once and nothing committed is lost. A failing sink is retried with
 * backoff (the rows simply wait in the database: memory stays bounded by one batch, and runs
 * never wait for the sink). Delivered rows are pruned after `retentionMs`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import { backoffDelayMs, Waiter, type Backoff } from './backoff.js';
import type { CloudEvent } from './cloud-event.js';
import type { EventSink } from './event-sink.js';
import type { SinkMetrics } from './sink-metrics.js';

export interface OutboxRelayOptions {
  readonly batchSize: number;
  /** Idle polling interval; commits wake the relay sooner. */
  readonly pollIntervalMs: number;
  /** How long delivered rows are kept (0: pruned at once). */
  readonly retentionMs: number;
  readonly backoff: Backoff;
}

const PRUNE_EVERY_MS = 60_000;
/**
 * A commit wakes the relay this much later, so that the results committed meanwhile go out in
 * the same batch instead of a select and an update per result batch (bench/outbox-overhead).
 */
const GATHER_MS = 25;

export class OutboxRelay {
  private readonly waiter = new Waiter();
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;
  private lastPrune = 0;
  private gathering: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sink: EventSink,
    private readonly metrics: SinkMetrics,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {}

  /** Starts the loop (once). */
  start(): void {
    this.running ??= this.loop();
  }

  /** New rows were committed: deliver them now unless the relay is backing off. */
  wake(): void {
    if (this.gathering !== undefined) return;
    this.gathering = setTimeout(() => {
      this.gathering = undefined;
      this.waiter.wake();
    }, GATHER_MS);
    this.gathering.unref();
  }

  /** Stops after the batch in flight; unsent rows stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.gathering);
    this.waiter.cancel();
    await this.running;
  }

  /** Rows not yet delivered. */
  async pending(): Promise<number> {
    const row = await this.db
      .selectFrom('event_outbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('sent_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Publishes one batch of the oldest unsent rows; returns how many were delivered (0: none
   * waiting). Throws what the sink threw (the rows stay unsent).
   */
  async deliverBatch(): Promise<number> {
    const rows = await this.db
      .selectFrom('event_outbox')
      .select(['id', 'event'])
      .where('sent_at', 'is', null)
      .orderBy('seq')
      .orderBy('id')
      .limit(this.options.batchSize)
      .execute();
    if (rows.length === 0) return 0;
    const events = rows.map((row) => JSON.parse(row.event) as CloudEvent);
    try {
      await this.sink.publish(events);
    } catch (error) {
      this.metrics.writes(this.sink.name, 'failed', rows.length);
      throw error;
    }
    this.metrics.writes(this.sink.name, 'sent', rows.length);
    await this.db
      .updateTable('event_outbox')
      .set({ sent_at: new Date().toISOString() })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    return rows.length;
  }

  /** Deletes rows delivered more than `retentionMs` ago; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.options.retentionMs).toISOString();
    const result = await this.db
      .deleteFrom('event_outbox')
      .where('sent_at', 'is not', null)
      .where('sent_at', '<=', cutoff)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const delivered = await this.deliverBatch();
        if (this.failures > 0) this.logger.info({ sink: this.sink.name }, 'event sink recovered');
        this.failures = 0;
        if (delivered > 0) continue;
        // Depth is counted when the relay goes idle or fails, not per batch (a count per batch
        // costs as much as the batch).
        this.metrics.queueDepth(this.sink.name, 0);
        if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS || this.options.retentionMs === 0) {
          this.lastPrune = Date.now();
          await this.prune();
        }
        await this.waiter.sleep(this.options.pollIntervalMs);
      } catch (error) {
        this.failures++;
        await this.pending().then(
          (depth) => this.metrics.queueDepth(this.sink.name, depth),
          () => undefined,
        );
        const delayMs = backoffDelayMs(this.failures, this.options.backoff);
        // The first failure is news; the retries after it are not.
        const level = this.failures === 1 ? 'warn' : 'debug';
        this.logger[level](
          { err: error, sink: this.sink.name, failures: this.failures, delayMs },
          'event sink unavailable; events wait in the outbox',
        );
        await this.waiter.sleep(delayMs, true);
      }
    }
  }
}
