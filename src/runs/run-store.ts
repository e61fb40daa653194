/**
 * Persistence of runs and results (SQLite or PostgreSQL through Kysely). A result is written
 * before anyone is told about it; the unique (run, test case, model, repetition) key makes a
 * resumed run unable to record an item twice.
 */
import { PostgresAdapter, type Kysely, type Selectable } from 'kysely';
import type { AssertionResult } from '../assertions/index.js';
import {
  PLAINTEXT,
  storableText,
  type Database,
  type FieldCipher,
  type RunResultTable,
  type RunTable,
} from '../db/index.js';
import { keyAfter } from '../db/index.js';
import { insertResultsWithTotals } from './result-batch-statement.js';
import { insertResults } from './result-insert.js';
import { readRun } from './run-read.js';
import { RESULT_CHUNK_BYTES, resultRowPages, type ResultKey } from './result-pages.js';
import { lifecycleOf, type RunOutbox, type RunStateChange } from './run-outbox.js';
import { ACTIVE_RUN_STATUSES, type Run, type RunResult, type RunStatus } from './run-schema.js';
import {
  emptyTally,
  isNotJudged,
  progress,
  summaryFromTally,
  type ModelTally,
} from './run-summary.js';
import {
  addTotals,
  declareModels,
  lockTotals,
  readTotals,
  repairTotals,
  tallyByRun,
} from './run-totals.js';

export type NewRun = Omit<
  RunTable,
  | 'error'
  | 'started_at'
  | 'finished_at'
  | 'lease_owner'
  | 'lease_expires_at'
  | 'cache'
  | 'prompt_version'
  | 'totals_kept'
> &
  Partial<Pick<RunTable, 'lease_owner' | 'lease_expires_at' | 'cache' | 'prompt_version'>>;
export type RunRow = Selectable<RunTable>;

export function toResult(row: RunResultTable): RunResult {
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
    judged: row.error_type === null && !isNotJudged(row),
    error:
      row.error_type === null ? null : { type: row.error_type, message: row.error_message ?? '' },
    simulated: Number(row.simulated) === 1,
    attempts: row.attempts,
    cached: Number(row.cached) === 1,
    finish_reason: row.finish_reason ?? null,
    refusal: row.refusal ?? null,
    reasoning: row.reasoning ?? null,
    created_at: row.created_at,
  };
}

/**
 * The stored form of a typed result: the one place a result is serialised (assertions as JSON,
 * booleans as 0/1, the error in two columns). `judged` is stored 1 for errors, as before.
 */
export function resultRow(result: RunResult): RunResultTable {
  return {
    id: result.id,
    run_id: result.run_id,
    test_case_id: result.test_case_id,
    model: result.model,
    repetition: result.repetition,
    rendered_prompt: result.rendered_prompt,
    output: result.output,
    latency_ms: result.latency_ms,
    input_tokens: result.input_tokens,
    output_tokens: result.output_tokens,
    cost_usd: result.cost_usd,
    assertion_results: JSON.stringify(result.assertions),
    score: result.score,
    passed: result.passed ? 1 : 0,
    judged: result.judged || result.error !== null ? 1 : 0,
    error_type: result.error?.type ?? null,
    error_message: result.error?.message ?? null,
    simulated: result.simulated ? 1 : 0,
    attempts: result.attempts,
    cached: result.cached ? 1 : 0,
    finish_reason: result.finish_reason,
    refusal: result.refusal,
    reasoning: result.reasoning,
    created_at: result.created_at,
  };
}

/** Encrypts the columns ENCRYPTED_COLUMNS (src/db) lists for results; a copy, never in place. */
function sealResult(row: RunResultTable, cipher: FieldCipher): RunResultTable {
  if (!cipher.enabled) return row;
  return {
    ...row,
    rendered_prompt: cipher.encrypt(row.rendered_prompt, 'run_results.rendered_prompt'),
    output: cipher.encryptNullable(row.output, 'run_results.output'),
    error_message: cipher.encryptNullable(row.error_message, 'run_results.error_message'),
    assertion_results: cipher.encrypt(row.assertion_results, 'run_results.assertion_results'),
    refusal: cipher.encryptNullable(row.refusal ?? null, 'run_results.refusal'),
    reasoning: cipher.encryptNullable(row.reasoning ?? null, 'run_results.reasoning'),
  };
}

function openResult(
  row: Selectable<RunResultTable>,
  cipher: FieldCipher,
): Selectable<RunResultTable> {
  return {
    ...row,
    rendered_prompt: cipher.decrypt(row.rendered_prompt, 'run_results.rendered_prompt'),
    output: cipher.decryptNullable(row.output, 'run_results.output'),
    error_message: cipher.decryptNullable(row.error_message, 'run_results.error_message'),
    assertion_results: cipher.decrypt(row.assertion_results, 'run_results.assertion_results'),
    refusal: cipher.decryptNullable(row.refusal ?? null, 'run_results.refusal'),
    reasoning: cipher.decryptNullable(row.reasoning ?? null, 'run_results.reasoning'),
  };
}

export type { ResultKey } from './result-pages.js';

/** The key that identifies one item of a run. */
export function itemKey(testCaseId: string, model: string, repetition: number): string {
  return JSON.stringify([testCaseId, model, repetition]);
}

type RunPatch = Partial<Pick<RunTable, 'status' | 'error' | 'started_at' | 'finished_at'>>;

export class RunStore {
  /** With an `outbox`, each state change and its events are written in one transaction. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: FieldCipher = PLAINTEXT,
    private readonly outbox?: RunOutbox,
  ) {}

  /**
   * Runs `write`; with an outbox, in a transaction that also appends the events `changes`
   * derives (reading through a store bound to the same transaction), committed together.
   * `transactional`: in a transaction even without an outbox (`write` makes several writes).
   */
  private async recorded<T>(
    write: (db: Kysely<Database>) => Promise<T>,
    changes: (store: RunStore, written: T) => Promise<readonly RunStateChange[]>,
    transactional = false,
  ): Promise<T> {
    const outbox = this.outbox;
    if (outbox === undefined) return transactional ? this.inTransaction(write) : write(this.db);
    let appended = false;
    const written = await this.db.transaction().execute(async (trx) => {
      // The callback runs again when the connection died before COMMIT (db/).
      appended = false;
      const value = await write(trx);
      const events = await changes(new RunStore(trx, this.cipher), value);
      if (events.length > 0) {
        await outbox.append(trx, events);
        appended = true;
      }
      return value;
    });
    if (appended) outbox.committed();
    return written;
  }

  /**
   * A conditional status write (`write` answers the row as written, by `RETURNING`, or
   * undefined when its condition did not hold), given the patch with its error sealed. Answers
   * the run as written, with its summary, so nobody reads the run again after writing it; with
   * an outbox, the lifecycle event it causes is written in the same transaction.
   */
  async writeStatus(
    _id: string,
    patch: RunPatch,
    write: (db: Kysely<Database>, sealed: RunPatch) => Promise<RunRow | undefined>,
  ): Promise<Run | undefined> {
    let run: Run | undefined;
    const row = await this.recorded(
      (db) => write(db, this.sealPatch(patch)),
      async (store, written) => {
        if (written === undefined) return [];
        run = await store.withSummary(written);
        const kind = lifecycleOf(patch.status);
        return kind === undefined ? [] : [{ kind, run }];
      },
    );
    if (row === undefined) return undefined;
    return run ?? this.withSummary(row);
  }

  /**
   * Stores a new run with zero totals for each of its models; `simulatedModels` are those the
   * simulated provider serves (the summary says so before any result arrives).
   */
  async createRun(run: NewRun, simulatedModels: readonly string[] = []): Promise<void> {
    await this.recorded(
      async (db) => {
        await db
          .insertInto('runs')
          .values({
            lease_owner: null,
            lease_expires_at: null,
            cache: 0,
            ...run,
            prompt_version: run.prompt_version ?? null,
            error: null,
            started_at: null,
            finished_at: null,
            totals_kept: 1,
          })
          .execute();
        await declareModels(db, run.id, JSON.parse(run.models) as string[], simulatedModels);
      },
      async (store) => {
        const created = await store.getRun(run.id);
        return created === undefined ? [] : [{ kind: 'created', run: created }];
      },
      true,
    );
  }

  async getRunRow(id: string): Promise<RunRow | undefined> {
    return this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The run with its summary: on PostgreSQL one statement (run-read.ts). */
  async getRun(id: string): Promise<Run | undefined> {
    const read = await readRun(this.db, id);
    if (read === undefined) return undefined;
    if (Number(read.row.totals_kept) !== 1) return this.withSummary(read.row);
    return this.summarised(read.row, read.tallies);
  }

  /**
   * Per-model tallies of a run's results, as kept while they were written (a few indexed rows
   * however large the run). A run made before totals were kept has them recomputed first.
   */
  async tallies(runId: string): Promise<Map<string, ModelTally>> {
    const read = await readRun(this.db, runId);
    if (read === undefined || Number(read.row.totals_kept) === 1) return read?.tallies ?? new Map();
    await this.repairTotals(runId);
    return readTotals(this.db, runId);
  }

  /**
   * Recomputes a run's kept totals from all its results (the repair of `npm run
   * runs:repair-totals`) and marks them kept; false when the run does not exist.
   */
  async repairTotals(runId: string): Promise<boolean> {
    return this.inTransaction(async (db) => {
      const row = await db
        .selectFrom('runs')
        .select('models')
        .where('id', '=', runId)
        .executeTakeFirst();
      if (row === undefined) return false;
      await repairTotals(db, runId, JSON.parse(row.models) as string[]);
      return true;
    });
  }

  /** Ids of runs (oldest first), only those whose totals are not kept yet unless `all`. */
  async runIdsForRepair(all: boolean): Promise<string[]> {
    let query = this.db.selectFrom('runs').select('id').orderBy('created_at').orderBy('id');
    if (!all) query = query.where('totals_kept', '=', 0);
    return (await query.execute()).map((r) => r.id);
  }

  /** Runs `work` in a transaction, or in the one this store is bound to. */
  private inTransaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? work(this.db) : this.db.transaction().execute(work);
  }

  async withSummary(row: RunRow): Promise<Run> {
    if (Number(row.totals_kept) !== 1) await this.repairTotals(row.id);
    return this.summarised(row, await readTotals(this.db, row.id));
  }

  /** The API's run from its row and kept tallies. */
  private summarised(row: RunRow, tallies: Map<string, ModelTally>): Run {
    const models = JSON.parse(row.models) as string[];
    return {
      id: row.id,
      prompt_card_id: row.prompt_card_id,
      status: row.status as RunStatus,
      models,
      concurrency: row.concurrency,
      repeat: row.repeat,
      cache: Number(row.cache) === 1,
      prompt_version: row.prompt_version === null ? null : Number(row.prompt_version),
      user_category: row.user_category,
      error: this.cipher.decryptNullable(row.error, 'runs.error'),
      created_at: row.created_at,
      started_at: row.started_at,
      finished_at: row.finished_at,
      progress: progress(row.total_items, tallies.values()),
      summary: models.map((model) => summaryFromTally(tallies.get(model) ?? emptyTally(model))),
    };
  }

  /**
   * A card's runs newest first ((created_at, id) descending), `limit` from `offset` or after the
   * key `after` (keyset, served by the index runs_card_page).
   */
  async listRunsForCard(
    cardId: string,
    page: { limit: number; offset: number; after?: readonly (string | number)[] | undefined },
  ): Promise<{ items: Run[]; total: number }> {
    const base = this.db.selectFrom('runs').where('prompt_card_id', '=', cardId);
    const count = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    let query = base.selectAll();
    if (page.after !== undefined)
      query = query.where(keyAfter(['created_at', 'id'], page.after, 'desc'));
    const rows = await query
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

  /** Writes the patch unconditionally; answers the run as written (undefined when missing). */
  async updateRun(id: string, patch: RunPatch): Promise<Run | undefined> {
    return this.writeStatus(id, patch, (db, sealed) =>
      db.updateTable('runs').set(sealed).where('id', '=', id).returningAll().executeTakeFirst(),
    );
  }

  private sealPatch<P extends { error?: string | null }>(patch: P): P {
    return patch.error == null
      ? patch
      : { ...patch, error: this.cipher.encrypt(patch.error, 'runs.error') };
  }

  /**
   * Sets the status only if the run is currently in one of `from`; answers the run as written,
   * or undefined when it did not change.
   */
  async transition(
    id: string,
    from: readonly RunStatus[],
    patch: RunPatch,
  ): Promise<Run | undefined> {
    return this.writeStatus(id, patch, (db, sealed) =>
      db
        .updateTable('runs')
        .set(sealed)
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /**
   * Writes results in one statement, skipping items that already have a result (a resumed run
   * can never record an item twice); returns the ids it wrote.
   */
  async insertResults(rows: readonly RunResultTable[]): Promise<Set<string>> {
    return this.writeResults(rows, (row) => toResult(row));
  }

  /**
   * Stores the executor's typed results (serialised here, and only here), skipping items that
   * already have a result; returns the ids it wrote. The outbox gets the results as they are.
   */
  async recordResults(results: readonly RunResult[]): Promise<Set<string>> {
    const rows = results.map(resultRow);
    return this.writeResults(rows, (_row, index) => results[index]);
  }

  private async writeResults(
    rows: readonly RunResultTable[],
    typed: (row: RunResultTable, index: number) => RunResult,
  ): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    // PostgreSQL stores a batch and its totals in one statement (atomic without a transaction);
    // SQLite runs the statements in a transaction (in-process, they cost no round trips).
    const oneStatement = this.db.getExecutor().adapter instanceof PostgresAdapter;
    return this.recorded(
      async (db) => {
        // Text a model or provider produced may hold what PostgreSQL cannot store (U+0000):
        // made storable, the same on both databases, before it is sealed.
        const sealed = rows.map((row) =>
          sealResult(
            {
              ...row,
              rendered_prompt: storableText(row.rendered_prompt),
              output: storableText(row.output),
              error_message: storableText(row.error_message),
              refusal: storableText(row.refusal ?? null),
              reasoning: storableText(row.reasoning ?? null),
            },
            this.cipher,
          ),
        );
        if (oneStatement) return insertResults(db, sealed, insertResultsWithTotals);
        const ids = await insertResults(db, sealed);
        // The totals grow by what was written, in the same transaction: a skipped item (its
        // result was already stored) adds nothing.
        for (const [runId, tallies] of tallyByRun(rows.filter((row) => ids.has(row.id))))
          await addTotals(db, runId, tallies);
        return ids;
      },
      (_store, written) =>
        Promise.resolve(
          rows.flatMap((row, index) =>
            written.has(row.id) ? [{ kind: 'result' as const, result: typed(row, index) }] : [],
          ),
        ),
      !oneStatement,
    );
  }

  async completedItemKeys(runId: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('run_results')
      .select(['test_case_id', 'model', 'repetition'])
      .where('run_id', '=', runId)
      .execute();
    return new Set(rows.map((r) => itemKey(r.test_case_id, r.model, r.repetition)));
  }

  /**
   * How many results a run has stored, from its kept totals (one indexed row per model, written
   * in the transaction that stores each batch), not by counting its results: a page of a
   * 100,000-result run costs the page, not a count over the run. `run` is its row, read by the
   * caller; a run made before totals were kept has them recomputed first.
   */
  async countResults(run: Pick<RunRow, 'id' | 'totals_kept'>): Promise<number> {
    if (Number(run.totals_kept) !== 1) await this.repairTotals(run.id);
    const kept = await this.db
      .selectFrom('run_model_totals')
      .select((eb) => eb.fn.sum<number | string | null>('results').as('n'))
      .where('run_id', '=', run.id)
      .executeTakeFirst();
    return Number(kept?.n ?? 0);
  }

  /**
   * A page of a run's results in completion order ((created_at, id) ascending), read in chunks
   * of at most `chunkBytes` of stored text (a larger result alone) so that memory holds one
   * chunk at a time however large the outputs are (a result can carry megabytes of output and
   * prompt), in two queries for a page of small results (see result-pages.ts). `after` is the
   * sort key of the last result already read (keyset: index ranges on run_results_page);
   * `offset` (bounded by the API) skips rows once, before the first.
   */
  async *iterateResults(
    runId: string,
    page: { limit: number; offset?: number; after?: ResultKey },
    chunkBytes = RESULT_CHUNK_BYTES,
  ): AsyncGenerator<RunResult> {
    for await (const row of resultRowPages(this.db, runId, page, chunkBytes))
      yield toResult(openResult(row, this.cipher));
  }

  /** One page of results (at most `limit`; the API bounds it to 500) with the run's total. */
  async listResults(
    runId: string,
    page: { limit: number; offset?: number; after?: ResultKey },
  ): Promise<{ items: RunResult[]; total: number }> {
    const items: RunResult[] = [];
    for await (const item of this.iterateResults(runId, page)) items.push(item);
    const run = await this.getRunRow(runId);
    return { items, total: run === undefined ? 0 : await this.countResults(run) };
  }

  private resultRowsAfter(
    runId: string,
    after: ResultKey | undefined,
    limit: number,
    offset = 0,
  ): Promise<Selectable<RunResultTable>[]> {
    let query = this.db.selectFrom('run_results').selectAll().where('run_id', '=', runId);
    if (after !== undefined) query = query.where(keyAfter(['created_at', 'id'], after, 'asc'));
    query = query.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit);
    return (offset > 0 ? query.offset(offset) : query).execute();
  }

  /**
   * Results in completion order, `limit` at a time after the (created_at, id) cursor: keyset
   * pages, so streaming a 100,000-result run reads each row once. Sealed fields are opened.
   */
  async resultsAfter(
    runId: string,
    cursor: { created_at: string; id: string } | undefined,
    limit: number,
  ): Promise<RunResult[]> {
    const key: ResultKey | undefined =
      cursor === undefined ? undefined : [cursor.created_at, cursor.id];
    const rows = await this.resultRowsAfter(runId, key, limit);
    return rows.map((row) => toResult(openResult(row, this.cipher)));
  }

  /** Every result of a run (sealed fields opened), in completion order. */
  async allResults(runId: string): Promise<RunResult[]> {
    const all: RunResult[] = [];
    for await (const r of this.iterateResults(runId, { limit: Number.MAX_SAFE_INTEGER }, 256))
      all.push(r);
    return all;
  }

  /**
   * Writes the comparative verdicts of a run's results (`assertions`, `score`, `passed` of
   * each in `graded`) and recomputes the run's kept totals, in one transaction. A result whose
   * stored assertions already hold a comparative verdict (`isGraded`) is left as it is, so a
   * row graded by two processes at once is written once. Answers how many results it wrote.
   */
  async recordComparisons(
    runId: string,
    graded: readonly RunResult[],
    isGraded: (assertions: readonly AssertionResult[]) => boolean,
  ): Promise<number> {
    if (graded.length === 0) return 0;
    return this.inTransaction(async (db) => {
      const run = await db
        .selectFrom('runs')
        .select('models')
        .where('id', '=', runId)
        .executeTakeFirst();
      if (run === undefined) return 0;
      // The run's totals rows are locked first (as a repair does), so concurrent graders of
      // one run take turns: the second sees the first one's verdicts and writes nothing.
      await declareModels(db, runId, JSON.parse(run.models) as string[], []);
      await lockTotals(db, runId);
      const current = await db
        .selectFrom('run_results')
        .select(['id', 'assertion_results'])
        .where(
          'id',
          'in',
          graded.map((r) => r.id),
        )
        .execute();
      const stored = new Map(current.map((r) => [r.id, r.assertion_results]));
      let written = 0;
      for (const result of graded) {
        const sealed = stored.get(result.id);
        if (sealed === undefined) continue;
        const before = JSON.parse(
          this.cipher.decrypt(sealed, 'run_results.assertion_results'),
        ) as AssertionResult[];
        if (isGraded(before)) continue;
        await db
          .updateTable('run_results')
          .set({
            assertion_results: this.cipher.encrypt(
              JSON.stringify(result.assertions),
              'run_results.assertion_results',
            ),
            score: result.score,
            passed: result.passed ? 1 : 0,
          })
          .where('id', '=', result.id)
          .execute();
        written++;
      }
      if (written > 0) await repairTotals(db, runId, JSON.parse(run.models) as string[]);
      return written;
    });
  }

  /** What a comparison needs of each result, with the test case's name (null if deleted). */
  async comparableResults(runId: string): Promise<
    {
      test_case_id: string;
      test_case_name: string | null;
      model: string;
      passed: boolean;
      score: number;
    }[]
  > {
    const rows = await this.db
      .selectFrom('run_results')
      .leftJoin('test_cases', 'test_cases.id', 'run_results.test_case_id')
      .select([
        'run_results.test_case_id',
        'test_cases.name',
        'run_results.model',
        'run_results.passed',
        'run_results.score',
      ])
      .where('run_results.run_id', '=', runId)
      .execute();
    return rows.map((r) => ({
      test_case_id: r.test_case_id,
      test_case_name: r.name,
      model: r.model,
      passed: Number(r.passed) === 1,
      score: Number(r.score),
    }));
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
}
