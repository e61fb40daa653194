/**
 * Persistence of runs and results (SQLite or PostgreSQL through Kysely). A result is written
 * before anyone is told about it; the unique (run, test case, model, repetition) key makes a
 * resumed run unable to record an item twice.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AssertionResult } from '../assertions/index.js';
import { storableText, type Database, type RunResultTable, type RunTable } from '../db/index.js';
import { ACTIVE_RUN_STATUSES, type Run, type RunResult, type RunStatus } from './run-schema.js';
import {
  emptyTally,
  percentilePosition,
  progress,
  summaryFromTally,
  type ModelTally,
} from './run-summary.js';

export type NewRun = Omit<RunTable, 'error' | 'started_at' | 'finished_at'>;
export type RunRow = Selectable<RunTable>;

export function toResult(row: Selectable<RunResultTable>): RunResult {
  return {
    id: row.id,
    run_id: row.run_id,
    test_case_id: row.test_case_id,
    model: row.model,
    repetition: row.repetition,
    rendered_prompt: row.rendered_prompt,
    output: row.output,
    latency_ms: Number(row.latency_ms),
    input_tokens: row.input_tokens,
    output_tokens: row.output_tokens,
    cost_usd: row.cost_usd === null ? null : Number(row.cost_usd),
    assertions: JSON.parse(row.assertion_results) as AssertionResult[],
    score: Number(row.score),
    passed: Number(row.passed) === 1,
    error:
      row.error_type === null ? null : { type: row.error_type, message: row.error_message ?? '' },
    simulated: Number(row.simulated) === 1,
    attempts: row.attempts,
    created_at: row.created_at,
  };
}

/** The key that identifies one item of a run. */
export function itemKey(testCaseId: string, model: string, repetition: number): string {
  return JSON.stringify([testCaseId, model, repetition]);
}

export class RunStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createRun(run: NewRun): Promise<void> {
    await this.db
      .insertInto('runs')
      .values({ ...run, error: null, started_at: null, finished_at: null })
      .execute();
  }

  async getRunRow(id: string): Promise<RunRow | undefined> {
    return this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getRun(id: string): Promise<Run | undefined> {
    const row = await this.getRunRow(id);
    return row === undefined ? undefined : this.withSummary(row);
  }

  /**
   * Per-model tallies of a run's results, computed by the database: counts and sums in one
   * grouped query, errors by type in another, and each latency percentile from the one or two
   * sorted values it lies between. A large run's summary never loads its rows.
   */
  async tallies(runId: string): Promise<Map<string, ModelTally>> {
    const ofRun = this.db.selectFrom('run_results').where('run_id', '=', runId);
    const totals = await ofRun
      .select((eb) => [
        'model',
        eb.fn.countAll().as('results'),
        eb.fn.sum(eb.case().when('passed', '=', 1).then(1).else(0).end()).as('passed'),
        eb.fn.count('error_type').as('errored'),
        eb.fn.sum('score').as('score_sum'),
        eb.fn
          .sum(eb.case().when('error_type', 'is', null).then(eb.ref('latency_ms')).else(0).end())
          .as('answered_latency'),
        eb.fn.sum('input_tokens').as('input_tokens'),
        eb.fn.sum('output_tokens').as('output_tokens'),
        eb.fn.sum('cost_usd').as('cost_sum'),
        eb.fn.count('cost_usd').as('costs_known'),
        eb.fn.max('simulated').as('simulated'),
      ])
      .groupBy('model')
      .execute();
    const errors = await ofRun
      .select((eb) => ['model', 'error_type', eb.fn.countAll().as('n')])
      .where('error_type', 'is not', null)
      .groupBy(['model', 'error_type'])
      .execute();
    const tallies = new Map<string, ModelTally>();
    for (const t of totals) {
      const results = Number(t.results);
      const errored = Number(t.errored);
      const answered = results - errored;
      const errorsByType: Record<string, number> = {};
      for (const e of errors)
        if (e.model === t.model && e.error_type !== null) errorsByType[e.error_type] = Number(e.n);
      tallies.set(t.model, {
        model: t.model,
        results,
        passed: Number(t.passed),
        errored,
        scoreSum: Number(t.score_sum ?? 0),
        simulated: Number(t.simulated) === 1,
        answeredLatencyTotal: Number(t.answered_latency ?? 0),
        latencyP50: await this.latencyPercentile(runId, t.model, answered, 0.5),
        latencyP95: await this.latencyPercentile(runId, t.model, answered, 0.95),
        inputTokens: Number(t.input_tokens ?? 0),
        outputTokens: Number(t.output_tokens ?? 0),
        costSum: Number(t.cost_sum ?? 0),
        costsKnown: Number(t.costs_known),
        errorsByType,
      });
    }
    return tallies;
  }

  /** The p-th percentile of a model's answered latencies (`answered` of them) in a run. */
  private async latencyPercentile(
    runId: string,
    model: string,
    answered: number,
    p: number,
  ): Promise<number | null> {
    if (answered === 0) return null;
    const { lower, upper, fraction } = percentilePosition(answered, p);
    const values = await this.db
      .selectFrom('run_results')
      .select('latency_ms')
      .where('run_id', '=', runId)
      .where('model', '=', model)
      .where('error_type', 'is', null)
      .orderBy('latency_ms')
      .limit(upper - lower + 1)
      .offset(lower)
      .execute();
    const a = Number(values[0]?.latency_ms ?? 0);
    const b = Number(values[1]?.latency_ms ?? a);
    return a + (b - a) * fraction;
  }

  async withSummary(row: RunRow): Promise<Run> {
    const tallies = await this.tallies(row.id);
    const models = JSON.parse(row.models) as string[];
    return {
      id: row.id,
      prompt_card_id: row.prompt_card_id,
      status: row.status as RunStatus,
      models,
      concurrency: row.concurrency,
      repeat: row.repeat,
      user_category: row.user_category,
      error: row.error,
      created_at: row.created_at,
      started_at: row.started_at,
      finished_at: row.finished_at,
      progress: progress(row.total_items, tallies.values()),
      summary: models.map((model) => summaryFromTally(tallies.get(model) ?? emptyTally(model))),
    };
  }

  async listRunsForCard(
    cardId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: Run[]; total: number }> {
    const base = this.db.selectFrom('runs').where('prompt_card_id', '=', cardId);
    const count = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return {
      items: await Promise.all(rows.map((row) => this.withSummary(row))),
      total: Number(count.n),
    };
  }

  async updateRun(
    id: string,
    patch: Partial<Pick<RunTable, 'status' | 'error' | 'started_at' | 'finished_at'>>,
  ): Promise<void> {
    await this.db.updateTable('runs').set(patch).where('id', '=', id).execute();
  }

  /** Sets the status only if the run is currently in one of `from`; returns whether it changed. */
  async transition(
    id: string,
    from: readonly RunStatus[],
    patch: Partial<Pick<RunTable, 'status' | 'error' | 'started_at' | 'finished_at'>>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('runs')
      .set(patch)
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Writes results in one statement, skipping items that already have a result (a resumed run
   * can never record an item twice); returns the ids it wrote.
   */
  async insertResults(rows: readonly RunResultTable[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const written = await this.db
      .insertInto('run_results')
      .values(
        rows.map((row) => ({
          ...row,
          rendered_prompt: storableText(row.rendered_prompt),
          output: storableText(row.output),
          error_message: storableText(row.error_message),
        })),
      )
      .onConflict((oc) => oc.columns(['run_id', 'test_case_id', 'model', 'repetition']).doNothing())
      .returning('id')
      .execute();
    return new Set(written.map((r) => r.id));
  }

  async completedItemKeys(runId: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('run_results')
      .select(['test_case_id', 'model', 'repetition'])
      .where('run_id', '=', runId)
      .execute();
    return new Set(rows.map((r) => itemKey(r.test_case_id, r.model, r.repetition)));
  }

  async listResults(
    runId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: RunResult[]; total: number }> {
    const base = this.db.selectFrom('run_results').where('run_id', '=', runId);
    const count = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { items: rows.map(toResult), total: Number(count.n) };
  }

  async hasActiveRun(cardId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('runs')
      .select('id')
      .where('prompt_card_id', '=', cardId)
      .where('status', 'in', [...ACTIVE_RUN_STATUSES])
      .executeTakeFirst();
    return row !== undefined;
  }

  /** After a crash or restart: every queued or running run becomes interrupted. Returns their ids. */
  async markUnfinishedInterrupted(now: Date = new Date()): Promise<string[]> {
    const rows = await this.db
      .selectFrom('runs')
      .select('id')
      .where('status', 'in', [...ACTIVE_RUN_STATUSES])
      .execute();
    if (rows.length === 0) return [];
    await this.db
      .updateTable('runs')
      .set({ status: 'interrupted', finished_at: now.toISOString() })
      .where('status', 'in', [...ACTIVE_RUN_STATUSES])
      .execute();
    return rows.map((r) => r.id);
  }
}
