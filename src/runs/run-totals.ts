/**
 * Run totals kept as results arrive: per run and model, the `ModelTally` of its results (counts
 * by outcome, sums of scores, latency, tokens and cost, errors by type, a latency sketch) in
 * three tables: `run_model_totals` (one row per run and model), `run_latency_buckets` and
 * `run_error_counts`. The result writer adds each batch's tally in the transaction that stores
 * the batch (`addTotals`), so a status read is a few indexed rows however large the run
 * (`readTotals`). `repairTotals` recomputes a run's totals from its results (`tallyRows`, the
 * in-memory definition) and writes them back; `runs.totals_kept` = 0 marks runs made before the
 * totals were kept, repaired on first read or by `npm run runs:repair-totals`.
 *
 * Concurrency (PostgreSQL, READ COMMITTED): additions are atomic upserts (`n = n + excluded.n`);
 * a writer touches a run's model totals row before its buckets and error counts, and a repair
 * first locks the run's model rows (`FOR UPDATE`, in model order, as writers upsert them), so a
 * repair never interleaves with a batch of the same run: it counts a batch committed before it,
 * and a batch committed after it adds to what it wrote.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Database, RunModelTotalsTable, RunResultTable } from '../db/index.js';
import { emptyTally, tallyRows, type ModelTally, type SummaryRow } from './run-summary.js';

type Db = Kysely<Database>;

/** The summary's view of a stored row. */
export function summaryRow(row: RunResultTable): SummaryRow {
  return {
    model: row.model,
    passed: Number(row.passed) === 1,
    score: Number(row.score),
    latency_ms: Number(row.latency_ms),
    input_tokens: row.input_tokens === null ? null : Number(row.input_tokens),
    output_tokens: row.output_tokens === null ? null : Number(row.output_tokens),
    cost_usd: row.cost_usd === null ? null : Number(row.cost_usd),
    error_type: row.error_type,
    simulated: Number(row.simulated) === 1,
    judged: Number(row.judged),
  };
}

/** The tallies of stored rows by run, then model (keys in sorted order). */
export function tallyByRun(rows: readonly RunResultTable[]): Map<string, ModelTally[]> {
  const groups = new Map<string, Map<string, SummaryRow[]>>();
  for (const row of rows) {
    const models = groups.get(row.run_id) ?? new Map<string, SummaryRow[]>();
    groups.set(row.run_id, models);
    const list = models.get(row.model) ?? [];
    models.set(row.model, list);
    list.push(summaryRow(row));
  }
  const tallies = new Map<string, ModelTally[]>();
  for (const runId of [...groups.keys()].sort()) {
    const models = groups.get(runId) ?? new Map<string, SummaryRow[]>();
    tallies.set(
      runId,
      [...models.keys()].sort().map((model) => tallyRows(model, models.get(model) ?? [])),
    );
  }
  return tallies;
}

/** The columns of `run_model_totals` for a tally. */
function totalsColumns(runId: string, t: ModelTally) {
  return {
    run_id: runId,
    model: t.model,
    results: t.results,
    passed: t.passed,
    errored: t.errored,
    not_judged: t.notJudged,
    score_sum: t.scoreSum,
    answered_latency_total: t.answeredLatencyTotal,
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    input_tokens_known: t.inputTokensKnown,
    output_tokens_known: t.outputTokensKnown,
    tokens_missing: t.tokensMissing,
    cost_sum: t.costSum,
    costs_known: t.costsKnown,
    simulated: t.simulated ? 1 : 0,
  };
}

const SUMMED = [
  'results',
  'passed',
  'errored',
  'not_judged',
  'score_sum',
  'answered_latency_total',
  'input_tokens',
  'output_tokens',
  'input_tokens_known',
  'output_tokens_known',
  'tokens_missing',
  'cost_sum',
  'costs_known',
] as const;

/** `target = target + excluded` for each summed column, and `simulated` once any is. */
function addition() {
  const set: Record<string, ReturnType<typeof sql>> = {};
  for (const c of SUMMED)
    set[c] = sql`${sql.ref(`run_model_totals.${c}`)} + ${sql.ref(`excluded.${c}`)}`;
  set.simulated = sql`case when ${sql.ref('excluded.simulated')} = 1 then 1 else ${sql.ref('run_model_totals.simulated')} end`;
  return set;
}

/**
 * Adds tallies (of results just written in this transaction, `db`) to a run's kept totals,
 * in model order. Call it only inside the transaction that stored those results.
 */
export async function addTotals(
  db: Db,
  runId: string,
  tallies: readonly ModelTally[],
): Promise<void> {
  if (tallies.length === 0) return;
  const sorted = [...tallies].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  await db
    .insertInto('run_model_totals')
    .values(sorted.map((t) => totalsColumns(runId, t)))
    .onConflict((oc) => oc.columns(['run_id', 'model']).doUpdateSet(addition()))
    .execute();
  const buckets = sorted.flatMap((t) =>
    [...t.latency.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([bucket, n]) => ({ run_id: runId, model: t.model, bucket, n })),
  );
  if (buckets.length > 0)
    await db
      .insertInto('run_latency_buckets')
      .values(buckets)
      .onConflict((oc) =>
        oc.columns(['run_id', 'model', 'bucket']).doUpdateSet({
          n: sql`${sql.ref('run_latency_buckets.n')} + ${sql.ref('excluded.n')}`,
        }),
      )
      .execute();
  const errors = sorted.flatMap((t) =>
    Object.keys(t.errorsByType)
      .sort()
      .map((error_type) => ({
        run_id: runId,
        model: t.model,
        error_type,
        n: t.errorsByType[error_type] ?? 0,
      })),
  );
  if (errors.length > 0)
    await db
      .insertInto('run_error_counts')
      .values(errors)
      .onConflict((oc) =>
        oc.columns(['run_id', 'model', 'error_type']).doUpdateSet({
          n: sql`${sql.ref('run_error_counts.n')} + ${sql.ref('excluded.n')}`,
        }),
      )
      .execute();
}

/** Creates a new run's zero totals, one row per model; `simulated` names the simulated ones. */
export async function declareModels(
  db: Db,
  runId: string,
  models: readonly string[],
  simulated: readonly string[],
): Promise<void> {
  const rows = [...new Set(models)].sort().map((model) => ({
    ...totalsColumns(runId, emptyTally(model)),
    simulated: simulated.includes(model) ? 1 : 0,
  }));
  if (rows.length > 0)
    await db
      .insertInto('run_model_totals')
      .values(rows)
      .onConflict((oc) => oc.columns(['run_id', 'model']).doNothing())
      .execute();
}

/** A run's kept totals by model: at most one row per model, bucket and error type. */
export async function readTotals(db: Db, runId: string): Promise<Map<string, ModelTally>> {
  const [totals, buckets, errors] = await Promise.all([
    db.selectFrom('run_model_totals').selectAll().where('run_id', '=', runId).execute(),
    db
      .selectFrom('run_latency_buckets')
      .select(['model', 'bucket', 'n'])
      .where('run_id', '=', runId)
      .execute(),
    db
      .selectFrom('run_error_counts')
      .select(['model', 'error_type', 'n'])
      .where('run_id', '=', runId)
      .execute(),
  ]);
  return talliesOf(totals, buckets, errors);
}

/** A kept totals row as read (numbers may come as text or bigint strings). */
export type TotalsRow = { readonly [K in keyof RunModelTotalsTable]: unknown } & {
  readonly model: string;
};

/** The tallies by model of a run's kept rows (of `run_model_totals`, buckets, error counts). */
export function talliesOf(
  totals: readonly TotalsRow[],
  buckets: readonly { model: string; bucket: unknown; n: unknown }[],
  errors: readonly { model: string; error_type: string; n: unknown }[],
): Map<string, ModelTally> {
  const tallies = new Map<string, ModelTally>();
  for (const t of totals) {
    const latency = new Map<number, number>();
    for (const b of buckets)
      if (b.model === t.model && Number(b.n) > 0) latency.set(Number(b.bucket), Number(b.n));
    const errorsByType: Record<string, number> = {};
    for (const e of errors)
      if (e.model === t.model && Number(e.n) > 0) errorsByType[e.error_type] = Number(e.n);
    tallies.set(t.model, {
      model: t.model,
      results: Number(t.results),
      passed: Number(t.passed),
      errored: Number(t.errored),
      notJudged: Number(t.not_judged),
      scoreSum: Number(t.score_sum),
      simulated: Number(t.simulated) === 1,
      answeredLatencyTotal: Number(t.answered_latency_total),
      latency,
      inputTokens: Number(t.input_tokens),
      outputTokens: Number(t.output_tokens),
      inputTokensKnown: Number(t.input_tokens_known),
      outputTokensKnown: Number(t.output_tokens_known),
      tokensMissing: Number(t.tokens_missing),
      costSum: Number(t.cost_sum),
      costsKnown: Number(t.costs_known),
      errorsByType,
    });
  }
  return tallies;
}

/**
 * Locks a run's model totals rows (PostgreSQL: `FOR UPDATE`, in model order, as writers upsert
 * them) for the rest of the transaction `db`; answers them. SQLite serialises write
 * transactions, so there it only reads.
 */
export async function lockTotals(
  db: Db,
  runId: string,
): Promise<{ model: string; simulated: number }[]> {
  let locked = db
    .selectFrom('run_model_totals')
    .select(['model', 'simulated'])
    .where('run_id', '=', runId)
    .orderBy('model');
  if (db.getExecutor().adapter instanceof PostgresAdapter) locked = locked.forUpdate();
  return (await locked.execute()).map((r) => ({ model: r.model, simulated: Number(r.simulated) }));
}

/**
 * Recomputes a run's totals from all its results and writes them in place of the kept ones,
 * then marks the run's totals kept. `models` are the run's models; a model is simulated once
 * it was declared so or any of its results is. Must run inside a transaction (`db`).
 */
export async function repairTotals(
  db: Db,
  runId: string,
  models: readonly string[],
): Promise<void> {
  await declareModels(db, runId, models, []);
  const held = await lockTotals(db, runId);
  // The results, read after the lock: every batch committed before it is counted here.
  const rows = await db
    .selectFrom('run_results')
    .select([
      'run_id',
      'model',
      'passed',
      'score',
      'latency_ms',
      'input_tokens',
      'output_tokens',
      'cost_usd',
      'error_type',
      'simulated',
      'judged',
    ])
    .where('run_id', '=', runId)
    .execute();
  const recomputed = tallyByRun(rows as unknown as RunResultTable[]).get(runId) ?? [];
  const heldModels = held.map((h) => h.model);
  if (heldModels.length > 0) {
    await db
      .deleteFrom('run_latency_buckets')
      .where('run_id', '=', runId)
      .where('model', 'in', heldModels)
      .execute();
    await db
      .deleteFrom('run_error_counts')
      .where('run_id', '=', runId)
      .where('model', 'in', heldModels)
      .execute();
    // Zero every sum and count; `simulated` stays as declared (the results add theirs).
    const zero = Object.fromEntries(SUMMED.map((c) => [c, 0])) as Record<
      (typeof SUMMED)[number],
      number
    >;
    await db
      .updateTable('run_model_totals')
      .set(zero)
      .where('run_id', '=', runId)
      .where('model', 'in', heldModels)
      .execute();
  }
  await addTotals(db, runId, recomputed);
  await db.updateTable('runs').set({ totals_kept: 1 }).where('id', '=', runId).execute();
}
