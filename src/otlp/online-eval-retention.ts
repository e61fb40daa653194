/**
 * Bounded retention of online evaluations: a background task of the otlp module deletes done
 * evaluations received more than `retentionDays` ago and, with a cap, a card's done evaluations
 * beyond its newest `maxPerCard` (newest span first, as the card's pages list them). Deletes go
 * in batches of `batchSize` rows, each its own statement, so no sweep holds a long lock; pending
 * evaluations are never deleted (an accepted span is judged before it can age out).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { Logger } from '../telemetry/logging/index.js';

export interface RetentionOptions {
  /** Days a done evaluation is kept after it was received; undefined: kept forever. */
  readonly retentionDays: number | undefined;
  /** Done evaluations kept per card (newest spans); undefined: no cap. */
  readonly maxPerCard: number | undefined;
  /** Rows one delete statement removes at most. */
  readonly batchSize: number;
}

export interface SweepResult {
  /** Deleted for their age. */
  readonly expired: number;
  /** Deleted beyond a card's cap. */
  readonly capped: number;
}

export class OnlineEvalRetention {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: RetentionOptions,
  ) {}

  /** One full sweep: every expired evaluation, then every card over its cap. */
  async sweep(now = Date.now()): Promise<SweepResult> {
    const { retentionDays, maxPerCard } = this.options;
    const expired =
      retentionDays === undefined
        ? 0
        : await this.deleteReceivedBefore(new Date(now - retentionDays * 86_400_000).toISOString());
    const capped = maxPerCard === undefined ? 0 : await this.deleteOverCap(maxPerCard);
    return { expired, capped };
  }

  private async deleteReceivedBefore(cutoff: string): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.db
        .selectFrom('online_evaluations')
        .select('id')
        .where('received_at', '<', cutoff)
        .where('status', '=', 'done')
        .orderBy('received_at')
        .limit(this.options.batchSize)
        .execute();
      total += await this.deleteIds(ids.map((r) => r.id));
      if (ids.length < this.options.batchSize) return total;
    }
  }

  private async deleteOverCap(cap: number): Promise<number> {
    const cards = await this.db
      .selectFrom('online_evaluations')
      .select('prompt_card_id')
      .where('status', '=', 'done')
      .groupBy('prompt_card_id')
      .having((eb) => eb.fn.countAll(), '>', cap)
      .execute();
    let total = 0;
    for (const { prompt_card_id: card } of cards) {
      for (;;) {
        // The batch after the card's newest `cap` done evaluations, newest span first.
        const ids = await this.db
          .selectFrom('online_evaluations')
          .select('id')
          .where('prompt_card_id', '=', card)
          .where('status', '=', 'done')
          .orderBy('span_ended_at', 'desc')
          .orderBy('id', 'desc')
          .offset(cap)
          .limit(this.options.batchSize)
          .execute();
        total += await this.deleteIds(ids.map((r) => r.id));
        if (ids.length < this.options.batchSize) break;
      }
    }
    return total;
  }

  private async deleteIds(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db
      .deleteFrom('online_evaluations')
      .where('id', 'in', ids)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** Runs `sweep` every `intervalMs` until stopped; a failed sweep is logged and retried next time. */
export function startRetention(
  retention: OnlineEvalRetention,
  intervalMs: number,
  logger: Logger,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = retention
      .sweep()
      .then(({ expired, capped }) => {
        if (expired + capped > 0)
          logger.info({ expired, capped }, 'online evaluations deleted by retention');
      })
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'online evaluation retention sweep failed'),
      );
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
