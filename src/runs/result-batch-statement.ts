/**
 * PostgreSQL: a batch of run results and the growth of its run's kept totals in one statement.
 * The results' INSERT (`ON CONFLICT DO NOTHING … RETURNING id`) feeds three upserts through
 * data-modifying CTEs: `run_model_totals`, `run_latency_buckets` and `run_error_counts` grow by
 * the sums of the rows actually inserted (an item that already had a result adds nothing), so
 * the batch and its totals are one atomic statement: no transaction is needed around them and a
 * batch costs one round trip instead of five (BEGIN, the results, three upserts, COMMIT).
 *
 * Each row's share of the totals is computed here by the same definition as the recomputation
 * (`tallyRows` of the row alone) and sent as one array per column (`unnest`); SQL only sums.
 * Lock order as in `addTotals`: the model totals rows (in model order) before the buckets and
 * error counts — the later upserts read the count of the earlier one's rows first, which makes
 * PostgreSQL finish it before them.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, RunResultTable } from '../db/index.js';
import { summaryRow } from './run-totals.js';
import { tallyRows } from './run-summary.js';

/** One array per column of the rows' shares of the totals, in the rows' order. */
function shares(rows: readonly RunResultTable[]) {
  const columns = {
    id: [] as string[],
    run_id: [] as string[],
    model: [] as string[],
    passed: [] as number[],
    errored: [] as number[],
    not_judged: [] as number[],
    score: [] as number[],
    answered_latency: [] as number[],
    input_tokens: [] as number[],
    output_tokens: [] as number[],
    input_known: [] as number[],
    output_known: [] as number[],
    tokens_missing: [] as number[],
    cost: [] as number[],
    cost_known: [] as number[],
    simulated: [] as number[],
    bucket: [] as (number | null)[],
    error_type: [] as (string | null)[],
  };
  for (const row of rows) {
    const t = tallyRows(row.model, [summaryRow(row)]);
    columns.id.push(row.id);
    columns.run_id.push(row.run_id);
    columns.model.push(row.model);
    columns.passed.push(t.passed);
    columns.errored.push(t.errored);
    columns.not_judged.push(t.notJudged);
    columns.score.push(t.scoreSum);
    columns.answered_latency.push(t.answeredLatencyTotal);
    columns.input_tokens.push(t.inputTokens);
    columns.output_tokens.push(t.outputTokens);
    columns.input_known.push(t.inputTokensKnown);
    columns.output_known.push(t.outputTokensKnown);
    columns.tokens_missing.push(t.tokensMissing);
    columns.cost.push(t.costSum);
    columns.cost_known.push(t.costsKnown);
    columns.simulated.push(t.simulated ? 1 : 0);
    columns.bucket.push(t.latency.keys().next().value ?? null);
    columns.error_type.push(Object.keys(t.errorsByType)[0] ?? null);
  }
  return columns;
}

/**
 * Inserts `rows` (sealed, storable; PostgreSQL only), skipping items with a result, and adds
 * what it inserted to the kept totals, in one statement; answers the ids it inserted.
 */
export async function insertResultsWithTotals(
  db: Kysely<Database>,
  rows: readonly RunResultTable[],
): Promise<Set<string>> {
  const c = shares(rows);
  const insert = db
    .insertInto('run_results')
    .values([...rows])
    .onConflict((oc) => oc.columns(['run_id', 'test_case_id', 'model', 'repetition']).doNothing())
    .returning('id');
  const { rows: written } = await sql<{ id: string }>`
    with ins as (${insert}),
    share as (
      select s.* from unnest(
        ${c.id}::text[], ${c.run_id}::text[], ${c.model}::text[], ${c.passed}::int[],
        ${c.errored}::int[], ${c.not_judged}::int[], ${c.score}::float8[],
        ${c.answered_latency}::float8[], ${c.input_tokens}::int8[], ${c.output_tokens}::int8[],
        ${c.input_known}::int[], ${c.output_known}::int[], ${c.tokens_missing}::int[],
        ${c.cost}::float8[], ${c.cost_known}::int[], ${c.simulated}::int[], ${c.bucket}::int[],
        ${c.error_type}::text[]
      ) as s(id, run_id, model, passed, errored, not_judged, score, answered_latency,
        input_tokens, output_tokens, input_known, output_known, tokens_missing, cost,
        cost_known, simulated, bucket, error_type)
      join ins using (id)
    ),
    totals as (
      insert into run_model_totals as t (run_id, model, results, passed, errored, not_judged,
        score_sum, answered_latency_total, input_tokens, output_tokens, input_tokens_known,
        output_tokens_known, tokens_missing, cost_sum, costs_known, simulated)
      select run_id, model, count(*), sum(passed), sum(errored), sum(not_judged), sum(score),
        sum(answered_latency), sum(input_tokens), sum(output_tokens), sum(input_known),
        sum(output_known), sum(tokens_missing), sum(cost), sum(cost_known), max(simulated)
      from share group by run_id, model order by run_id, model
      on conflict (run_id, model) do update set
        results = t.results + excluded.results,
        passed = t.passed + excluded.passed,
        errored = t.errored + excluded.errored,
        not_judged = t.not_judged + excluded.not_judged,
        score_sum = t.score_sum + excluded.score_sum,
        answered_latency_total = t.answered_latency_total + excluded.answered_latency_total,
        input_tokens = t.input_tokens + excluded.input_tokens,
        output_tokens = t.output_tokens + excluded.output_tokens,
        input_tokens_known = t.input_tokens_known + excluded.input_tokens_known,
        output_tokens_known = t.output_tokens_known + excluded.output_tokens_known,
        tokens_missing = t.tokens_missing + excluded.tokens_missing,
        cost_sum = t.cost_sum + excluded.cost_sum,
        costs_known = t.costs_known + excluded.costs_known,
        simulated = case when excluded.simulated = 1 then 1 else t.simulated end
      returning 1
    ),
    buckets as (
      insert into run_latency_buckets as b (run_id, model, bucket, n)
      select run_id, model, bucket, count(*) from share
      where bucket is not null and (select count(*) from totals) >= 0
      group by run_id, model, bucket order by run_id, model, bucket
      on conflict (run_id, model, bucket) do update set n = b.n + excluded.n
    ),
    errors as (
      insert into run_error_counts as e (run_id, model, error_type, n)
      select run_id, model, error_type, count(*) from share
      where error_type is not null and (select count(*) from totals) >= 0
      group by run_id, model, error_type order by run_id, model, error_type
      on conflict (run_id, model, error_type) do update set n = e.n + excluded.n
    )
    select id from ins`.execute(db);
  return new Set(written.map((r) => r.id));
}
